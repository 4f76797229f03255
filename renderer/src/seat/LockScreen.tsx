import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ContractError } from '../../../src/contract/index.ts';
import { useKeys } from '../keys/useKeys.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { useSeat } from './SeatContext.tsx';

/** The locked seat: nothing of the review shows; the same person's password opens it, or someone signs out. */
export function LockScreen() {
  const { client, apply, state, signOut } = useSeat();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  // Nothing of the seat answers keys while it is locked (Space would play, N would take an alert).
  useKeys({}, { modal: true });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const r = await client.call('unlockSeat', { password });
    setBusy(false);
    setPassword('');
    if (r.ok) apply(r.value);
    else {
      setError(r.error);
      if (r.error.code === 'forbidden') apply({ ...state, person: null, locked: false });
    }
  };
  const minutes = Math.round(state.settings.idleLockSeconds / 60);
  return (
    <div className="lock-screen" role="dialog" aria-modal="true" aria-label="Seat locked" data-testid="lock-screen">
      <form className="seat-card" onSubmit={(e) => void submit(e)}>
        <h1>Locked</h1>
        <p className="muted" data-testid="lock-reason">
          {state.person?.displayName} ({state.person?.name}) ·{' '}
          {state.lockReason === 'idle'
            ? `locked after ${minutes >= 1 ? `${minutes} min` : `${state.settings.idleLockSeconds} s`} without input.`
            : 'locked at your request.'}{' '}
          The alert you had open went back to the queue; if nobody has taken it when you unlock, it is yours again.
        </p>
        <label className="seat-field">
          <span>Password</span>
          <input ref={input} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <ErrorNote error={error} />
        <div className="seat-actions">
          <button type="submit" className="btn btn-primary" disabled={busy || !password}>
            Unlock
          </button>
          <button type="button" className="btn" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </form>
    </div>
  );
}
