import { useCallback, useEffect, useState } from 'react';
import type { ContractError, OpenSeat } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { formatUtcDateTime } from '../ui/format.ts';

const REFRESH_MS = 10_000;

/** The seats signed in (on this server and, at a centre, the others), who is on each and from where; an administrator ends one left signed in. */
export function OpenSeats() {
  const client = useClient();
  const [seats, setSeats] = useState<OpenSeat[]>([]);
  const [error, setError] = useState<ContractError | null>(null);
  const load = useCallback(async () => {
    const r = await client.call('listSeats', {});
    if (r.ok) setSeats(r.value.seats);
    else setError(r.error);
  }, [client]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  const end = async (seat: string) => {
    const r = await client.call('endSeat', { seat });
    setError(r.ok ? null : r.error);
    await load();
  };
  const signedIn = seats.filter((s) => s.person);
  return (
    <section data-testid="open-seats">
      <h3>Seats signed in</h3>
      <ErrorNote error={error} />
      {signedIn.length === 0 ? (
        <p className="muted">Nobody else is signed in.</p>
      ) : (
        <table className="people-table">
          <thead>
            <tr>
              <th>Who</th>
              <th>Where from</th>
              <th>Seat open since</th>
              <th>Last active</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {signedIn.map((s) => (
              <tr key={s.seat} data-testid="seat-row" data-name={s.person!.name}>
                <td>
                  <strong>{s.person!.displayName}</strong> <span className="muted">{s.person!.name}</span>
                  {s.locked && <span className="muted"> · locked</span>}
                </td>
                <td className="mono">
                  {s.transport === 'electron' ? 'desktop app' : (s.address ?? 'this machine')}
                  {s.elsewhere && <span className="muted"> · on another server</span>}
                </td>
                <td className="muted">{formatUtcDateTime(s.openedUs)}</td>
                <td className="muted">{s.lastActivityUs ? formatUtcDateTime(s.lastActivityUs) : 'not yet'}</td>
                <td>
                  {s.yours ? (
                    <span className="muted">this seat</span>
                  ) : (
                    <button type="button" className="btn small-btn" onClick={() => void end(s.seat)}>
                      Sign out
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
