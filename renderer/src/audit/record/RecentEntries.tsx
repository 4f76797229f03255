import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { stampUtc } from '../format.ts';
import { useMethod } from '../useMethod.ts';

const SHOWN = 25;

/** The newest entries of the log, newest first: what was recorded lately, by whom, and each hash. */
export function RecentEntries({ headSeq, onReload }: { headSeq: number; onReload(): void }) {
  const log = useMethod('listAuditLog', { afterSeq: Math.max(0, headSeq - SHOWN), limit: SHOWN });
  const entries = [...(log.value?.entries ?? [])].reverse();
  return (
    <section className="audit-card" aria-label="Latest entries">
      <h3>
        Latest entries{' '}
        <button
          type="button"
          className="link-button"
          onClick={() => {
            onReload();
            log.reload();
          }}
          title="Read again"
        >
          ↻
        </button>
      </h3>
      <ErrorNote error={log.error} context="The log could not be read" />
      <table className="audit-table audit-log-table">
        <thead>
          <tr>
            <th>#</th>
            <th>At (UTC)</th>
            <th>Who</th>
            <th>What</th>
            <th>About</th>
            <th>Hash</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{stampUtc(e.atUs)}</td>
              <td>{e.actor}</td>
              <td>{e.action}</td>
              <td>{e.entity}</td>
              <td>
                <code title={e.hash}>{e.hash.slice(0, 12)}…</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
