import type { ContractError } from '../../../src/contract/index.ts';

/**
 * A contract error shown as the core worded it. The code is for whoever reads the logs or
 * reports a fault, not part of the sentence: it stays out of the text (and of what a screen
 * reader says), in the note's tooltip and data-code attribute.
 */
export function ErrorNote({ error, context }: { error: ContractError | null; context?: string }) {
  if (!error) return null;
  return (
    <div className="error-note" role="alert" data-code={error.code} title={`error code: ${error.code}`}>
      {context && <strong>{context}: </strong>}
      {error.message}
    </div>
  );
}
