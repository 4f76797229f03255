import { useState } from 'react';
import type { AuditProblem, ContractError, VerifyReport } from '../../../../src/contract/index.ts';
import { useClient } from '../../client/context.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';

/**
 * "Verify the record": walks the whole chain, the recorded head, the anchors handed out, every
 * version row and every clip file, and reports the first thing that does not match, or the head
 * hash that now vouches for everything before it.
 */
export function VerifyPanel({ onVerified }: { onVerified?(): void }) {
  const client = useClient();
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [busy, setBusy] = useState(false);
  const [clips, setClips] = useState(true);
  const verify = async () => {
    setBusy(true);
    setError(null);
    const r = await client.call('verifyAudit', { clips });
    setBusy(false);
    if (r.ok) {
      setReport(r.value);
      onVerified?.();
    } else setError(r.error);
  };
  return (
    <section className="audit-card" aria-label="Verify the record">
      <h3>Verify the record</h3>
      <p className="muted">
        Recomputes every entry’s hash and link, compares every decision, location and QA row with the entry that recorded it, and re-hashes every audio clip.
      </p>
      <div className="form-row">
        <button type="button" className="btn" onClick={() => void verify()} disabled={busy} data-testid="verify-record">
          {busy ? 'Verifying…' : 'Verify the record'}
        </button>
        <label className="inline-check">
          <input type="checkbox" checked={clips} onChange={(e) => setClips(e.target.checked)} /> with every clip file
        </label>
      </div>
      <ErrorNote error={error} context="Verification did not run" />
      {report && <VerifyResult report={report} />}
    </section>
  );
}

function VerifyResult({ report }: { report: VerifyReport }) {
  const took = report.durationMs < 1000 ? `${Math.max(1, Math.round(report.durationMs))} ms` : `${(report.durationMs / 1000).toFixed(1)} s`;
  const checked = `${report.checked.entries} entries, ${report.checked.clips} clips, ${report.checked.anchors} anchors${report.checked.records ? ', every version row' : ''} in ${took}`;
  if (report.ok) {
    return (
      <div className="verify-result verify-ok" role="status" data-testid="verify-result" data-ok="true">
        <strong>The record is intact.</strong> Checked {checked}.
        {report.head && (
          <div className="verify-head">
            Head <span data-testid="verify-head-seq">#{report.head.seq}</span> <code data-testid="verify-head-hash">{report.head.hash}</code>
          </div>
        )}
        <div className="muted">This head now vouches for every entry before it: give it to whoever must be able to check the record later.</div>
      </div>
    );
  }
  return (
    <div className="verify-result verify-bad" role="alert" data-testid="verify-result" data-ok="false">
      <strong>The record does not match.</strong> Checked {checked}; {report.problems.length} problem{report.problems.length === 1 ? '' : 's'}.
      {report.first && <Problem p={report.first} first />}
      {report.problems.length > 1 && (
        <details>
          <summary>{report.problems.length - 1} more</summary>
          {report.problems.slice(1).map((p, i) => (
            <Problem key={i} p={p} />
          ))}
        </details>
      )}
    </div>
  );
}

function Problem({ p, first = false }: { p: AuditProblem; first?: boolean }) {
  return (
    <div className="verify-problem" data-testid={first ? 'verify-first-problem' : undefined}>
      <div>
        {first && <strong>First mismatch: </strong>}
        {p.description}
      </div>
      <div className="muted">{p.message}</div>
      {(p.expected || p.found) && (
        <dl className="verify-diff">
          {p.expected && (
            <div>
              <dt>expected</dt>
              <dd>
                <code>{p.expected}</code>
              </dd>
            </div>
          )}
          {p.found && (
            <div>
              <dt>found</dt>
              <dd>
                <code>{p.found}</code>
              </dd>
            </div>
          )}
        </dl>
      )}
    </div>
  );
}
