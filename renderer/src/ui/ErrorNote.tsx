import type { ContractError } from '../../../src/contract/index.ts';

/** A contract error shown as the core worded it, with its code for whoever reads the logs. */
export function ErrorNote({ error, context }: { error: ContractError | null; context?: string }) {
  if (!error) return null;
  return (
    <div className="error-note" role="alert">
      {context && <strong>{context}: </strong>}
      {error.message}
      <span className="error-code">{error.code}</span>
    </div>
  );
}
