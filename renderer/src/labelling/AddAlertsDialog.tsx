import { useEffect, useState } from 'react';
import type { AlertSummary, ContractError, Project } from '../../../src/contract/index.ts';
import { useSeat } from '../seat/SeatContext.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { formatLabel, formatUtcDateTime } from '../ui/format.ts';

/** Alerts already in the store, added to the project as clips (every sensor's track). */
export function AddAlertsDialog({ project, onClose }: { project: Project; onClose(): void }) {
  const { client } = useSeat();
  const [alerts, setAlerts] = useState<AlertSummary[] | null>(null);
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [error, setError] = useState<ContractError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    void client.call('listAlerts', { status: 'all', limit: 1000 }).then((r) => (r.ok ? setAlerts(r.value.alerts) : setError(r.error)));
  }, [client]);
  const add = async () => {
    const r = await client.call('addAlertsToProject', { projectId: project.id, alertIds: [...picked] });
    if (!r.ok) return setError(r.error);
    setDone(
      `${r.value.added.length} track${r.value.added.length === 1 ? '' : 's'} added${r.value.alreadyPresent ? `, ${r.value.alreadyPresent} already there` : ''}.`,
    );
    setPicked(new Set());
  };
  const toggle = (id: number) =>
    setPicked((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  return (
    <Dialog title={`Add alerts to ${project.name}`} onClose={onClose} testId="add-alerts-dialog">
      <ErrorNote error={error} />
      {alerts === null ? (
        <p className="muted">Reading the alerts…</p>
      ) : alerts.length === 0 ? (
        <p className="muted">No alerts in the store.</p>
      ) : (
        <div className="alert-pick">
          <table className="people-table">
            <thead>
              <tr>
                <th />
                <th>alert</th>
                <th>detected</th>
                <th>sensors</th>
                <th>decision</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.id}>
                  <td>
                    <input type="checkbox" checked={picked.has(a.id)} onChange={() => toggle(a.id)} aria-label={`Add ${a.externalId}`} />
                  </td>
                  <td>
                    {a.externalId} <span className="muted">{a.source}</span>
                  </td>
                  <td>{formatUtcDateTime(a.detectedUs)}</td>
                  <td>{a.sensorCount}</td>
                  <td>{a.decision ? formatLabel(a.decision.class) : <span className="muted">{a.status}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="form-row">
        <button type="button" className="btn" disabled={picked.size === 0} onClick={() => void add()} data-testid="add-alerts">
          Add {picked.size || ''} alert{picked.size === 1 ? '' : 's'}
        </button>
        {done && <span className="ok-note">{done}</span>}
      </div>
    </Dialog>
  );
}
