import { useCallback, useEffect, useRef, useState } from 'react';
import type { Delivery, DeliveryAttempt, EarwitnessClient, Incident } from '../../../src/contract/index.ts';
import { clockTime, deliveryBadge, errorBeyondStatus, lastOutcome } from './format.ts';
import { PUBLISH_CSS } from './styles.ts';

export interface DeliveryStatusProps {
  client: EarwitnessClient;
  /** The incident to show, by its id or by its alert's id. */
  incidentId?: number;
  alertId?: number;
  /** Admins may retry a delivery. */
  isAdmin?: boolean;
}

const UNSETTLED_POLL_MS = 5000;

interface Why {
  why: string | null;
  attempts: DeliveryAttempt[];
}

/**
 * Where an incident stands with each agency, live: every message (Alert, Updates, Cancel) per
 * agency endpoint, its state, attempts and last outcome; why one failed, attempt by attempt;
 * and, for admins, a retry.
 */
export function DeliveryStatus({ client, incidentId, alertId, isAdmin = false }: DeliveryStatusProps) {
  const [incident, setIncident] = useState<Incident | null | undefined>(undefined);
  const [deliveries, setDeliveries] = useState<Delivery[]>([]);
  const [open, setOpen] = useState<Record<number, Why | 'loading'>>({});
  const [error, setError] = useState<string | null>(null);
  // The live handler reads which explanations are open without re-subscribing on every toggle.
  const openRef = useRef(open);
  openRef.current = open;

  const load = useCallback(async () => {
    const r = await client.call('getIncident', incidentId !== undefined ? { incidentId } : { alertId: alertId! });
    if (!r.ok) return setError(r.error.message);
    setIncident(r.value);
    if (!r.value) return setDeliveries([]);
    const d = await client.call('listDeliveries', { incidentId: r.value.id, limit: 1000 });
    if (!d.ok) return setError(d.error.message);
    setDeliveries(d.value.deliveries);
    setError(null);
  }, [client, incidentId, alertId]);

  const explain = useCallback(
    async (id: number) => {
      const r = await client.call('getDelivery', { id });
      if (r.ok) setOpen((o) => (o[id] ? { ...o, [id]: { why: r.value.why, attempts: r.value.attempts } } : o));
    },
    [client],
  );

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    const mine = (i: { id: number; alertId: number }) => (incidentId !== undefined ? i.id === incidentId : i.alertId === alertId);
    const offDelivery = client.on('deliveryChanged', ({ delivery }) => {
      if (!mine({ id: delivery.incidentId, alertId: delivery.alertId })) return;
      setDeliveries((list) => (list.some((d) => d.id === delivery.id) ? list.map((d) => (d.id === delivery.id ? delivery : d)) : [delivery, ...list]));
      if (openRef.current[delivery.id]) void explain(delivery.id);
    });
    const offIncident = client.on('incidentChanged', ({ incident: i }) => {
      if (mine(i)) setIncident(i);
    });
    return () => {
      offDelivery();
      offIncident();
    };
  }, [client, incidentId, alertId, explain]);

  // Events about an alert under blind QA review are held back from every seat, so while any
  // message is still on its way the state is also fetched again now and then.
  const unsettled = deliveries.some((d) => d.state === 'pending' || d.state === 'sending');
  useEffect(() => {
    if (!unsettled) return;
    const timer = setInterval(() => void load(), UNSETTLED_POLL_MS);
    return () => clearInterval(timer);
  }, [unsettled, load]);

  const toggle = (id: number) => {
    if (open[id]) return setOpen(({ [id]: _gone, ...rest }) => rest);
    setOpen((o) => ({ ...o, [id]: 'loading' }));
    void explain(id);
  };

  const retry = async (id: number) => {
    const r = await client.call('retryDelivery', { id });
    if (!r.ok) setError(r.error.message);
  };

  if (incident === undefined)
    return (
      <div className="ew-publish">
        <style>{PUBLISH_CSS}</style>
        <p className="dim">{error ?? 'Loading…'}</p>
      </div>
    );
  if (incident === null) {
    return (
      <div className="ew-publish" data-testid="delivery-status">
        <style>{PUBLISH_CSS}</style>
        <p className="dim">Not published to any agency.</p>
      </div>
    );
  }

  const agencies = [...new Set(deliveries.map((d) => d.agency.name))].sort();
  const sorted = [...deliveries].sort((a, b) => a.agency.name.localeCompare(b.agency.name) || a.endpoint.id - b.endpoint.id || a.seq - b.seq);
  return (
    <div className="ew-publish" data-testid="delivery-status">
      <style>{PUBLISH_CSS}</style>
      <h2>
        Publication <span className={`badge ${incident.state}`}>{incident.state}</span>{' '}
        {incident.status !== 'Actual' && (
          <span className="badge waiting" data-testid="incident-status" title="the CAP status of every message of this incident">
            {incident.status}
          </span>
        )}{' '}
        <span className="dim">
          {incident.messages.length} message{incident.messages.length === 1 ? '' : 's'} · {agencies.length} agenc{agencies.length === 1 ? 'y' : 'ies'} ·{' '}
          {incident.deliveries.delivered} of {deliveries.length} delivered
        </span>
      </h2>
      {incident.unroutedReason && incident.state !== 'routed' && <p className="note">{incident.unroutedReason}</p>}
      {incident.holdNote && <p className="note">Held: {incident.holdNote}</p>}
      {incident.withheld.map((w) => (
        <p key={w.agency.id} className="note" data-testid="delivery-withheld" data-agency={w.agency.name}>
          Not sent to <strong>{w.agency.name}</strong>: {w.reason}
        </p>
      ))}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {deliveries.length > 0 && (
        <table className="deliveries">
          <thead>
            <tr>
              <th>Agency</th>
              <th>Message</th>
              <th>State</th>
              <th>Attempts</th>
              <th>Last outcome</th>
              <th>When</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sorted.map((d) => {
              const badge = deliveryBadge(d);
              const why = open[d.id];
              return [
                <tr key={d.id} className="delivery" data-testid={`delivery-${d.id}`}>
                  <td className="c-agency">
                    {d.agency.name}
                    <div className="dim mono c-endpoint" title={d.endpoint.url}>
                      {d.endpoint.format.toUpperCase()} {d.endpoint.url}
                    </div>
                  </td>
                  <td className="c-msg">
                    {d.msgType} #{d.seq}
                  </td>
                  <td className="c-state">
                    <span className={`badge ${badge.tone}`}>{badge.label}</span>
                  </td>
                  <td className="c-attempts" data-label="attempts">
                    {d.attempts}
                  </td>
                  <td className={`c-outcome${d.state === 'failed' ? ' error' : ''}`}>{lastOutcome(d)}</td>
                  <td className="dim c-when">
                    {d.state === 'delivered'
                      ? `delivered ${clockTime(d.deliveredUs)}`
                      : d.state === 'pending' && d.nextAttemptUs !== null
                        ? `next ${clockTime(d.nextAttemptUs)}`
                        : ''}
                  </td>
                  <td className="c-actions">
                    <div className="row">
                      {d.state !== 'delivered' && <button onClick={() => toggle(d.id)}>{why ? 'Hide' : 'Why?'}</button>}
                      {isAdmin && (d.state === 'failed' || (d.state === 'pending' && d.attempts > 0)) && (
                        <button className="primary" onClick={() => void retry(d.id)}>
                          Retry now
                        </button>
                      )}
                    </div>
                  </td>
                </tr>,
                why && (
                  <tr key={`${d.id}-why`} className="why">
                    <td colSpan={7}>{why === 'loading' ? <span className="dim">Loading…</span> : <Attempts why={why} />}</td>
                  </tr>
                ),
              ];
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Attempts({ why }: { why: Why }) {
  return (
    <div data-testid="delivery-why">
      {why.why && <p className="note">{why.why}</p>}
      <table className="attempts">
        <thead>
          <tr>
            <th>#</th>
            <th className="c-started">Started</th>
            <th>Outcome</th>
            <th>Status</th>
            <th className="c-latency">Latency</th>
            <th>Receiver said</th>
          </tr>
        </thead>
        <tbody>
          {why.attempts.map((a) => (
            <tr key={a.attempt}>
              <td>{a.attempt}</td>
              <td className="dim c-started">{clockTime(a.startedUs)}</td>
              <td>
                {a.outcome}
                {errorBeyondStatus(a.error, a.httpStatus) ? <div className="dim">{a.error}</div> : null}
              </td>
              <td>{a.httpStatus ?? '—'}</td>
              <td className="c-latency">{a.latencyMs === null ? '—' : `${a.latencyMs.toFixed(1)} ms`}</td>
              <td className="mono">{a.responseExcerpt ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
