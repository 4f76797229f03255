import { useEffect, useState } from 'react';
import type { ContractError } from '../../../../src/contract/index.ts';
import { useClient } from '../../client/context.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { useMethod } from '../useMethod.ts';

/**
 * How QA samples: the share of decided alerts that get a blind second review, the time budget
 * the statistics measure against, and the secret key behind the draws (only its fingerprint is
 * shown; rotating it makes future draws unpredictable again). Every change is an audit entry.
 */
export function QaSettingsPanel() {
  const client = useClient();
  const settings = useMethod('getAuditSettings', {});
  const [share, setShare] = useState('');
  const [budget, setBudget] = useState('');
  const [error, setError] = useState<ContractError | null>(null);
  const [saved, setSaved] = useState(false);
  const current = settings.value;
  useEffect(() => {
    if (!current) return;
    setShare(String(Math.round(current.sampleShare * 1000) / 10));
    setBudget(String(current.timeBudgetS));
  }, [current]);
  const change = async (input: { sampleShare?: number; timeBudgetS?: number; rotateSamplingKey?: boolean }) => {
    setSaved(false);
    const r = await client.call('setAuditSettings', input);
    if (!r.ok) return setError(r.error);
    setError(null);
    setSaved(true);
    settings.reload();
  };
  const shareNumber = Number(share);
  const budgetNumber = Number(budget);
  const valid = share.trim() !== '' && shareNumber >= 0 && shareNumber <= 100 && budgetNumber >= 1 && budgetNumber <= 86_400;
  const dirty = current !== null && (Math.abs(shareNumber / 100 - current.sampleShare) > 1e-9 || budgetNumber !== current.timeBudgetS);
  return (
    <section className="audit-card" aria-label="QA sampling">
      <h3>QA sampling</h3>
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid && dirty) void change({ sampleShare: shareNumber / 100, timeBudgetS: budgetNumber });
        }}
      >
        <label>
          Share of decided alerts reviewed again blind (%)
          <input type="number" min={0} max={100} step="any" value={share} onChange={(e) => setShare(e.target.value)} data-testid="qa-share" />
        </label>
        <label>
          Time budget to decide (s)
          <input type="number" min={1} max={86400} value={budget} onChange={(e) => setBudget(e.target.value)} data-testid="qa-budget" />
        </label>
        <button type="submit" className="btn" disabled={!valid || !dirty} data-testid="qa-settings-save">
          Save
        </button>
      </form>
      <p className="muted">
        Sampling key {current?.samplingKeyId ? <code>{current.samplingKeyId}</code> : 'made at the first decision'} ·{' '}
        <button type="button" className="link-button inline-link" onClick={() => void change({ rotateSamplingKey: true })}>
          rotate the key
        </button>
      </p>
      {saved && (
        <p className="ok-note" role="status">
          Saved; the change is in the log.
        </p>
      )}
      <ErrorNote error={error ?? settings.error} context="Not saved" />
    </section>
  );
}
