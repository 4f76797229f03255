import { useState } from 'react';
import type { ContractError, ExportReceipt } from '../../../../src/contract/index.ts';
import { useClient } from '../../client/context.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { formatUtcDateTime } from '../../ui/format.ts';
import { chooseSavePath } from '../save.ts';
import { utcDay } from '../stats/period.ts';

/**
 * Exports the whole chain with its final head hash for a court, and shows the receipt to hand
 * over separately. The desktop app asks where with its save dialog; on the loopback host the core
 * runs on this machine, so the person types the path (the data folder by default).
 */
export function ExportPanel({ dataDir }: { dataDir: string | null }) {
  const client = useClient();
  const desktop = client.transport === 'electron';
  const name = `earwitness-audit-chain-${utcDay(Date.now())}.jsonl`;
  const [path, setPath] = useState(() => (dataDir ? `${dataDir.replace(/[/\\]$/, '')}/${name}` : ''));
  const [receipt, setReceipt] = useState<ExportReceipt | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setError(null);
    let target = path.trim();
    if (desktop) {
      const chosen = await chooseSavePath(client, 'audit-chain', name, 'jsonl');
      if ('error' in chosen) return setError(chosen.error);
      if (chosen.path === null) return;
      target = chosen.path;
    }
    setBusy(true);
    // The native dialog already asked before overwriting; a typed path never overwrites.
    const r = await client.call('exportAudit', { path: target, format: 'jsonl', overwrite: desktop });
    setBusy(false);
    if (r.ok) setReceipt(r.value);
    else setError(r.error);
  };
  return (
    <section className="audit-card" aria-label="Export the chain">
      <h3>Export the chain</h3>
      <p className="muted">Every entry with the exact text that was hashed, and the head at the end. docs/audit/verify_export.py checks it with nothing but Python.</p>
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        {!desktop && (
          <label className="export-path">
            File on the core machine
            <input value={path} onChange={(e) => setPath(e.target.value)} required data-testid="export-path" spellCheck={false} />
          </label>
        )}
        <button type="submit" className="btn" disabled={busy || (!desktop && !path.trim())} data-testid="export-chain">
          {desktop ? 'Export the chain…' : 'Export'}
        </button>
      </form>
      <ErrorNote error={error} context="Not exported" />
      {receipt && (
        <div className="verify-result verify-ok" data-testid="export-receipt">
          <strong>Exported {receipt.entries} entries</strong> to <code>{receipt.path}</code> ({(receipt.bytes / 1024).toFixed(1)} KiB) at {formatUtcDateTime(receipt.generatedUs)}.
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
