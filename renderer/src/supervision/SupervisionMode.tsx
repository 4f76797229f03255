import { useCallback, useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ContractError, Supervision } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { formatAge, formatUtcTime } from '../ui/format.ts';
import './supervision.css';

/** How often the view asks again: live enough for a floor where alerts wait seconds, light on the server. */
const REFRESH_MS = 5_000;

const STATE_LABEL: Record<Supervision['seats'][number]['state'], string> = { reviewing: 'reviewing', idle: 'idle', locked: 'locked' };

/** The floor for a shift supervisor: the queue, every signed-in seat, and the decisions per hour against the time budget. */
export function SupervisionMode() {
  const client = useClient();
  const [view, setView] = useState<Supervision | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const load = useCallback(async () => {
    const r = await client.call('getSupervision', {});
    if (r.ok) {
      setView(r.value);
      setError(null);
    } else setError(r.error);
  }, [client]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    const offs = [client.on('alertAdded', () => void load()), client.on('alertChanged', () => void load()), client.on('claimChanged', () => void load())];
    return () => {
      clearInterval(timer);
      for (const off of offs) off();
    };
  }, [client, load]);

  if (!view) return <main className="supervision">{error ? <ErrorNote error={error} /> : <p className="muted">Loading…</p>}</main>;
  const { queue, seats, hours, deadlineSeconds, nowUs } = view;
  const total = hours.reduce((n, h) => n + h.decisions, 0);
  const within = hours.reduce((n, h) => n + h.withinBudget, 0);
  const rows = hours.map((h) => ({ hour: formatUtcTime(h.hourUs, 0).slice(0, 5), within: h.withinBudget, late: h.decisions - h.withinBudget }));
  return (
    <main className="supervision" data-testid="supervision">
      <ErrorNote error={error} />
      <section className="supervision-figures" aria-label="Queue">
        <Figure label="Waiting" value={String(queue.pending)} testId="sup-pending" />
        <Figure label={`Past the ${deadlineSeconds} s budget`} value={String(queue.pastDeadline)} alarm={queue.pastDeadline > 0} testId="sup-past" />
        <Figure label="Oldest waiting" value={queue.oldestWaitS === null ? '—' : formatAge(queue.oldestWaitS * 1000)} testId="sup-oldest" />
        <Figure label="Seats signed in" value={String(seats.length)} testId="sup-seats" />
        <Figure label="Decided within budget, last 12 h" value={total ? `${Math.round((100 * within) / total)} % of ${total}` : '—'} testId="sup-within" />
      </section>
      <section>
        <h3>Seats</h3>
        {seats.length === 0 ? (
          <p className="muted">Nobody is signed in.</p>
        ) : (
          <table className="supervision-seats">
            <thead>
              <tr>
                <th>Who</th>
                <th>Doing</th>
                <th>For</th>
                <th>Where from</th>
                <th>Last active</th>
              </tr>
            </thead>
            <tbody>
              {seats.map((s) => (
                <tr key={s.seat} data-testid="sup-seat" data-name={s.person.name} data-state={s.state}>
                  <td>
                    <strong>{s.person.displayName}</strong> <span className="muted">{s.person.name}</span>
                  </td>
                  <td>
                    <span className={`sup-state sup-${s.state}`}>{STATE_LABEL[s.state]}</span>
                    {s.alertId !== null && <span className="mono"> alert {s.alertId}</span>}
                  </td>
                  <td className="muted">{s.claimedUs !== null ? formatAge((nowUs - s.claimedUs) / 1000) : ''}</td>
                  <td className="mono">{s.transport === 'electron' ? 'desktop app' : (s.address ?? 'this machine')}</td>
                  <td className="muted">{s.lastActivityUs ? `${formatAge((nowUs - s.lastActivityUs) / 1000)} ago` : 'not yet'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section>
        <h3>Decisions per hour (UTC), first decisions on alerts</h3>
        {rows.length === 0 ? (
          <p className="muted">No decisions in the last 12 hours.</p>
        ) : (
          <figure className="supervision-chart" aria-label="Decisions per hour">
            <ResponsiveContainer width="100%" height={220}>
              <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="hour" fontSize={11} />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Legend />
                <Bar dataKey="within" stackId="d" name={`within ${deadlineSeconds} s`} fill="#3fb96f" isAnimationActive={false} />
                <Bar dataKey="late" stackId="d" name="later" fill="#e0a43a" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </figure>
        )}
      </section>
    </main>
  );
}

function Figure({ label, value, alarm = false, testId }: { label: string; value: string; alarm?: boolean; testId: string }) {
  return (
    <div className={alarm ? 'sup-figure sup-alarm' : 'sup-figure'}>
      <div className="sup-value" data-testid={testId}>
        {value}
      </div>
      <div className="muted">{label}</div>
    </div>
  );
}
