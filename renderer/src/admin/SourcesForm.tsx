import { useCallback, useEffect, useState } from 'react';
import type { ContractError, Source, SourceStatus } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { formatUtcDateTime } from '../ui/format.ts';

const STATUS_WORDS: Record<SourceStatus, string> = { live: 'live', exercise: 'exercise', test: 'test' };

/**
 * The sources alerts come from and whether each is live: only a live source's alerts reach
 * police as Actual. A source nobody marked publishes as Exercise; a simulated one is never live.
 */
export function SourcesForm() {
  const client = useClient();
  const [sources, setSources] = useState<Source[]>([]);
  const [error, setError] = useState<ContractError | null>(null);
  const load = useCallback(async () => {
    const r = await client.call('listSources', {});
    if (r.ok) setSources(r.value.sources);
    else setError(r.error);
  }, [client]);
  useEffect(() => void load(), [load]);
  const set = async (source: string, status: SourceStatus) => {
    const r = await client.call('setSourceStatus', { source, status });
    setError(r.ok ? null : r.error);
    await load();
  };
  return (
    <section data-testid="sources">
      <h3>Alert sources</h3>
      <p className="muted">
        A source's alerts are published as Actual only once it is marked live; until then as Exercise. Simulated networks (names starting demo-) are never live.
      </p>
      <ErrorNote error={error} />
      <table className="people-table">
        <thead>
          <tr>
            <th>Source</th>
            <th>Status</th>
            <th>Published as</th>
            <th>Alerts</th>
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <tr key={s.source} data-testid="source-row" data-source={s.source} data-publishes-as={s.publishesAs}>
              <td>
                <strong>{s.source}</strong>
                {s.simulated && <span className="muted"> · simulated</span>}
              </td>
              <td>
                <select aria-label={`status of ${s.source}`} value={s.status ?? ''} onChange={(e) => void set(s.source, e.target.value as SourceStatus)}>
                  {s.status === null && <option value="">not marked</option>}
                  {(['live', 'exercise', 'test'] as const).map((v) => (
                    <option key={v} value={v} disabled={v === 'live' && s.simulated}>
                      {STATUS_WORDS[v]}
                    </option>
                  ))}
                </select>
                {s.setUs !== null && (
                  <span className="muted">
                    {' '}
                    {formatUtcDateTime(s.setUs)} by {s.setBy}
                  </span>
                )}
              </td>
              <td className={s.publishesAs === 'Actual' ? undefined : 'muted'}>{s.publishesAs}</td>
              <td className="muted">
                {s.alerts}
                {s.newestUs !== null ? `, newest ${formatUtcDateTime(s.newestUs)}` : ''}
              </td>
            </tr>
          ))}
          {sources.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                No alerts yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
