import { useCallback, useEffect, useState } from 'react';
import type { Agency, EarwitnessClient, MethodOutput } from '../../../src/contract/index.ts';
import { CLASS_LABELS } from '../../../src/contract/index.ts';
import { dateTime } from './format.ts';

type Entry = MethodOutput<'listUnrouted'>['incidents'][number];

/**
 * Incidents no jurisdiction holds: each waits here until an admin sends it to chosen agencies
 * (they get every message of it so far) or holds it with a note. Live: new ones appear as
 * reviewers decide them.
 */
export function UnroutedQueue({ client, agencies }: { client: EarwitnessClient; agencies: Agency[] }) {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [showHeld, setShowHeld] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await client.call('listUnrouted', { includeHeld: showHeld });
    if (r.ok) setEntries(r.value.incidents);
    else setError(r.error.message);
  }, [client, showHeld]);

  useEffect(() => {
    void load();
    return client.on('incidentChanged', () => void load());
  }, [client, load]);

  return (
    <section data-testid="unrouted-queue">
      <h3>Outside every jurisdiction</h3>
      <div className="row">
        <label>
          <input type="checkbox" checked={showHeld} onChange={(e) => setShowHeld(e.target.checked)} /> Show held incidents
        </label>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {entries.length === 0 ? (
        <p className="dim">Nothing waiting.</p>
      ) : (
        entries.map((e) => <QueueEntry key={e.incident.id} entry={e} agencies={agencies} client={client} onError={setError} onDone={load} />)
      )}
    </section>
  );
}

function QueueEntry({
  entry,
  agencies,
  client,
  onError,
  onDone,
}: {
  entry: Entry;
  agencies: Agency[];
  client: EarwitnessClient;
  onError: (m: string | null) => void;
  onDone: () => Promise<void>;
}) {
  const [chosen, setChosen] = useState<number[]>([]);
  const [note, setNote] = useState('');
  const { incident, alert } = entry;
  const loc = alert.location && 'lat' in alert.location ? `${alert.location.lat.toFixed(5)}, ${alert.location.lon.toFixed(5)}` : 'no located position';

  // The list is read again after one's own action: the live event does not come for an incident
  // whose decision is sealed for a blind second review (events never open a seal), and the admin
  // must still see it leave the queue.
  const route = async () => {
    const r = await client.call('routeIncident', { incidentId: incident.id, agencyIds: chosen });
    onError(r.ok ? null : r.error.message);
    if (r.ok) await onDone();
  };
  const hold = async () => {
    const r = await client.call('holdIncident', { incidentId: incident.id, note });
    onError(r.ok ? null : r.error.message);
    if (r.ok) await onDone();
  };

  return (
    <div className="row" data-testid={`unrouted-${incident.id}`} style={{ borderTop: '1px solid var(--ew-line)', paddingTop: 8, alignItems: 'flex-start' }}>
      <div style={{ minWidth: 260 }}>
        <div>
          <span className={`badge ${incident.state}`}>{incident.state}</span> {alert.decision ? CLASS_LABELS[alert.decision.class] : 'undecided'}
          {alert.rounds !== null ? `, ${alert.rounds} rounds` : ''}
        </div>
        <div className="dim">
          {alert.source} {alert.externalId} · detected {dateTime(alert.detectedUs)}
        </div>
        <div className="dim mono">{loc}</div>
        <div className="note">{incident.holdNote ? `Held: ${incident.holdNote}` : incident.unroutedReason}</div>
      </div>
      <div>
        <div className="row">
          {agencies.map((a) => (
            <label key={a.id}>
              <input
                type="checkbox"
                checked={chosen.includes(a.id)}
                onChange={(e) => setChosen((c) => (e.target.checked ? [...c, a.id] : c.filter((x) => x !== a.id)))}
              />
              {a.name}
            </label>
          ))}
          <button className="primary" disabled={chosen.length === 0} onClick={() => void route()}>
            Send to {chosen.length || ''} selected
          </button>
        </div>
        {incident.state === 'unrouted' && (
          <div className="row">
            <input
              type="text"
              size={40}
              value={note}
              maxLength={2000}
              onChange={(e) => setNote(e.target.value)}
              placeholder="Why it is held (e.g. outside our service area)"
            />
            <button disabled={!note.trim()} onClick={() => void hold()}>
              Hold
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
