import { useState } from 'react';
import type { ContractError, ExportReceipt } from '../../../../src/contract/index.ts';
import { useClient } from '../../client/context.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { formatUtcDateTime } from '../../ui/format.ts';
import { saveOutput, type SaveOutcome } from '../save.ts';
import { utcDay } from '../stats/period.ts';

/**
 * Exports the whole chain with its final head hash for a court, and shows the receipt to hand
 * over separately. The desktop app asks where with its save dialog; in a browser the file is a
 * download of this seat.
 */
export function ExportPanel() {
  const client = useClient();
  const desktop = client.transport === 'electron';
  const name = `earwitness-audit-chain-${utcDay(Date.now())}.jsonl`;
  const [receipt, setReceipt] = useState<ExportReceipt | null>(null);
  const [outcome, setOutcome] = useState<SaveOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const error: ContractError | null = outcome?.kind === 'failed' ? outcome.error : null;
  const run = async () => {
    setOutcome(null);
    setBusy(true);
    const r = await saveOutput(client, { purpose: 'audit-chain', defaultName: name, extension: 'jsonl' }, (to) =>
      client.call('exportAuditFile', { format: 'jsonl', to }),
    );
    setBusy(false);
    setOutcome(r.outcome);
    if (r.value) setReceipt(r.value.receipt);
  };
  return (
    <section className="audit-card" aria-label="Export the chain">
      <h3>Export the chain</h3>
      <p className="muted">
        Every entry with the exact text that was hashed, and the head at the end. docs/audit/verify_export.py checks it with nothing but Python.
      </p>
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <button type="submit" className="btn" disabled={busy} data-testid="export-chain">
          {desktop ? 'Export the chain…' : 'Download the chain'}
        </button>
      </form>
      <ErrorNote error={error} context="Not exported" />
      {receipt && (
        <div className="verify-result verify-ok" data-testid="export-receipt">
          <strong>
            {outcome?.kind === 'saved' ? 'Saved' : 'Downloaded'} {receipt.entries} entries
          </strong>{' '}
          as <code>{receipt.path}</code> ({(receipt.bytes / 1024).toFixed(1)} KiB) at {formatUtcDateTime(receipt.generatedUs)}.
          <dl className="verify-diff">
            <div>
              <dt>file SHA-256</dt>
              <dd>
                <code>{receipt.fileSha256}</code>
              </dd>
            </div>
            <div>
              <dt>head</dt>
              <dd>
                #{receipt.headSeq} <code>{receipt.headHash}</code>
              </dd>
            </div>
          </dl>
          <div className="muted">Hand this receipt over separately from the file: it is what proves the file was not changed.</div>
        </div>
      )}
    </section>
  );
}
