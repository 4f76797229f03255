import './agreement.css';
import { useEffect, useState } from 'react';
import type { ContractError, LabellerAgreement } from '../../../src/contract/index.ts';
import { useSeat } from '../seat/SeatContext.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';

const pct = (f: number | null) => (f === null ? '—' : `${Math.round(f * 100)}%`);

/**
 * How far a project's trainers agree, per class: labels matched one to one by onset within a
 * tolerance (mir_eval / sed_eval style), over the clips each pair both worked on. Shown to
 * trainers beside their clips and to auditors in their mode.
 */
export function AgreementTable({ projectId }: { projectId: number }) {
  const { client } = useSeat();
  const [toleranceMs, setToleranceMs] = useState(50);
  const [value, setValue] = useState<LabellerAgreement | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  useEffect(() => {
    let live = true;
    void client.call('getLabellerAgreement', { projectId, toleranceMs }).then((r) => {
      if (!live) return;
      if (!r.ok) return setError(r.error);
      setValue(r.value);
      setError(null);
    });
    return () => void (live = false);
  }, [client, projectId, toleranceMs]);
  return (
    <div className="agreement" data-testid="labeller-agreement">
      <label className="agreement-tolerance">
        Onsets agree within
        <select value={toleranceMs} onChange={(e) => setToleranceMs(Number(e.target.value))} data-testid="agreement-tolerance">
          {[5, 10, 20, 50, 100, 200].map((ms) => (
            <option key={ms} value={ms}>
              {ms} ms
            </option>
          ))}
        </select>
      </label>
      <ErrorNote error={error} />
      {value && value.pairs.length === 0 && (
        <p className="muted">
          Agreement needs two trainers who worked on the same clips ({value.trainers.length || 'no'} trainer{value.trainers.length === 1 ? '' : 's'} so far).
        </p>
      )}
      {value && value.pairs.length > 0 && (
        <table className="agreement-table">
          <thead>
            <tr>
              <th scope="col">class</th>
              <th scope="col" title="2 × matched / all events, over every pair of trainers">
                all pairs
              </th>
              {value.pairs.map((p) => (
                <th key={`${p.a}|${p.b}`} scope="col" title={`${p.sharedClips} clips both worked on`}>
                  {p.a} · {p.b}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {value.classes.map((c) => (
              <tr key={c.label} data-testid="agreement-row" data-class={c.label}>
                <th scope="row">{c.label}</th>
                <td title={`${c.matched} matched of ${c.events} events`} data-testid="agreement-f">
                  {pct(c.f)}
                </td>
                {value.pairs.map((p) => {
                  const x = p.classes.find((k) => k.label === c.label);
                  return (
                    <td key={`${p.a}|${p.b}`} title={x ? `${x.matched} matched; ${p.a} ${x.aCount}, ${p.b} ${x.bCount}` : 'neither labelled it'}>
                      {pct(x?.f ?? null)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
