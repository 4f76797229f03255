import { useState } from 'react';
import { CLASS_LABELS } from '../../../../src/contract/index.ts';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { formatDuration, formatUtcDateTime, formatUtcTime } from '../../ui/format.ts';
import { stampUtc } from '../format.ts';
import { useMethod } from '../useMethod.ts';
import { foldRuns, GROUPS, KIND, type Group, type HistoryEvent } from './kinds.ts';

/**
 * The whole life of an alert, oldest first, from the audit log: the machine output as
 * received, every location and decision version, undos, QA, publications and deliveries.
 * Each line names its audit entry (#seq), so anything here can be checked against an export.
 */
export function IncidentTimeline({ alertId }: { alertId: number }) {
  const history = useMethod('getIncidentHistory', { alertId });
  const [hidden, setHidden] = useState<ReadonlySet<Group>>(new Set());
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  if (history.error) return <ErrorNote error={history.error} context="The history could not be loaded" />;
  const h = history.value;
  if (!h) return <p className="muted">Loading the history…</p>;
  const counts = new Map<Group, number>();
  for (const e of h.events) counts.set(KIND[e.kind].group, (counts.get(KIND[e.kind].group) ?? 0) + 1);
  const shown = foldRuns(h.events.filter((e) => !hidden.has(KIND[e.kind].group)));
  const toggle = (key: string) => setOpen((o) => (o.has(key) ? new Set([...o].filter((k) => k !== key)) : new Set([...o, key])));
  const standing = [...h.decisions].reverse().find((d) => d.undoneUs === null);
  return (
    <div className="timeline" data-testid="incident-history">
      {h.unrecorded.length > 0 && (
        <p className="error-note" role="alert" data-testid="history-unrecorded">
          Version rows with no audit entry: {h.unrecorded.join(', ')}. Run “Verify the record”.
        </p>
      )}
      {h.decisions.length > 0 && (
        <table className="audit-table" aria-label="Decision versions">
          <thead>
            <tr>
              <th>Version</th>
              <th>Decision</th>
              <th>By</th>
              <th>At</th>
              <th>Took</th>
              <th>Now</th>
            </tr>
          </thead>
          <tbody>
            {h.decisions.map((d) => (
              <tr key={d.id} data-testid="decision-version">
                <td>v{d.version}</td>
                <td>
                  {CLASS_LABELS[d.class]}
                  {d.rounds !== null && `, ${d.rounds} round${d.rounds === 1 ? '' : 's'}`}
                  {d.notes && <div className="muted">“{d.notes}”</div>}
                </td>
                <td>{d.decidedBy}</td>
                <td>{formatUtcDateTime(d.decidedUs)}</td>
                <td>{formatDuration(d.reviewMs)}</td>
                <td>{d.undoneUs !== null ? `undone ${formatUtcTime(d.undoneUs, 0)}` : d === standing ? <strong>standing</strong> : 'superseded'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="timeline-filters" role="group" aria-label="Show">
        {GROUPS.filter((g) => counts.has(g.id)).map((g) => (
          <label key={g.id} className={`timeline-chip group-${g.id}`}>
            <input
              type="checkbox"
              checked={!hidden.has(g.id)}
              onChange={() => setHidden((s) => (s.has(g.id) ? new Set([...s].filter((x) => x !== g.id)) : new Set([...s, g.id])))}
            />
            {g.label} <span className="muted">{counts.get(g.id)}</span>
          </label>
        ))}
        <span className="muted timeline-head">chain head #{h.headSeq}</span>
      </div>
      <ol className="timeline-list">
        {shown.map(({ event: e, folded }) => {
          const key = `${e.seq ?? 'x'}-${e.atUs}-${e.action}`;
          return (
            <li
              key={key}
              className={`timeline-item group-${KIND[e.kind].group}${e.seq === null ? ' is-unrecorded' : ''}`}
              data-testid="history-event"
              data-kind={e.kind}
            >
              <span className="timeline-time" title={formatUtcDateTime(e.atUs)}>
                {stampUtc(e.atUs)}
              </span>
              <span className="timeline-kind">{KIND[e.kind].label}</span>
              <span className="timeline-summary">
                {e.summary}
                {folded.length > 0 && <span className="muted"> ×{folded.length + 1}</span>}
                <span className="timeline-who muted">
                  {' '}
                  — {e.actor} · {e.seq === null ? 'no audit entry' : `#${e.seq}`}
                </span>
              </span>
              <button
                type="button"
                className="link-button timeline-more"
                onClick={() => toggle(key)}
                aria-expanded={open.has(key)}
                title="The entry as recorded"
              >
                {open.has(key) ? '−' : '+'}
              </button>
              {open.has(key) && <EventData event={e} />}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function EventData({ event }: { event: HistoryEvent }) {
  return (
    <pre className="timeline-data" data-testid="history-data">
      {event.action}
      {'\n'}
      {JSON.stringify(event.data, null, 2)}
    </pre>
  );
}
