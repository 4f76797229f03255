import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Claim, EarwitnessClient, MethodInput, MethodName, MethodOutput, Result, SeatState } from '../../../src/contract/index.ts';
import { applyTheme } from './theme.ts';
import { heartbeatMs, IdleClock } from './idle.ts';

export interface Seat {
  state: SeatState;
  /** Grows at every sign-in and unlock: views that were paused by the lock load afresh. */
  generation: number;
  /** The contract client of this seat: any refusal for being signed out or locked refreshes the seat. */
  client: EarwitnessClient;
  apply(state: SeatState): void;
  refresh(): Promise<void>;
  lock(): Promise<void>;
  signOut(): Promise<void>;
  /** The alert this seat works on (its claim is renewed by the heartbeat), and what to do when the claim is lost. */
  setWork(alertId: number | null, onLost?: (claim: Claim | null) => void): void;
  /** Audio playing counts as the person working. */
  noteActivity(): void;
}

const SeatContext = createContext<Seat | null>(null);

export function useSeat(): Seat {
  const seat = useContext(SeatContext);
  if (!seat) throw new Error('useSeat outside <SeatProvider>');
  return seat;
}

/** Methods whose refusal is the answer itself, not a sign the seat changed. */
const SEAT_METHODS = new Set<MethodName>(['getSeat', 'signIn', 'unlockSeat', 'createFirstAdmin', 'signOut']);

/**
 * The seat: who is signed in, the lock, the heartbeat and the idle clock. Locks the screen when the
 * person has been idle for the configured time (and tells the core, which refuses the seat until the
 * password is given again); sends a heartbeat that renews the open alert's claim.
 */
export function SeatProvider({ client: raw, initial, children }: { client: EarwitnessClient; initial: SeatState; children: ReactNode }) {
  const [state, setState] = useState(initial);
  const [generation, setGeneration] = useState(0);
  const stateRef = useRef(state);
  const work = useRef<{ alertId: number | null; onLost?: ((c: Claim | null) => void) | undefined }>({ alertId: null });
  const idle = useMemo(() => new IdleClock(Date.now()), []);

  const apply = useCallback(
    (next: SeatState) => {
      const before = stateRef.current;
      stateRef.current = next;
      const opened = next.person !== null && !next.locked && (before.person?.id !== next.person.id || before.locked);
      if (opened) {
        idle.input(Date.now());
        setGeneration((g) => g + 1);
      }
      setState(next);
    },
    [idle],
  );

  const refresh = useCallback(async () => {
    const r = await raw.call('getSeat', {});
    if (r.ok) apply(r.value);
  }, [raw, apply]);

  const client = useMemo<EarwitnessClient>(
    () => ({
      ...raw,
      async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>> {
        const r = await raw.call(method, input);
        if (!r.ok && r.error.code === 'unauthenticated' && !SEAT_METHODS.has(method)) void refresh();
        return r;
      },
    }),
    [raw, refresh],
  );

  const lock = useCallback(async () => {
    const r = await raw.call('lockSeat', {});
    if (r.ok) apply(r.value);
    else await refresh();
  }, [raw, apply, refresh]);

  const signOut = useCallback(async () => {
    const r = await raw.call('signOut', {});
    if (r.ok) apply(r.value);
  }, [raw, apply]);

  useEffect(() => applyTheme(state.preferences.theme), [state.preferences.theme]);

  // Input anywhere on the page is activity.
  useEffect(() => {
    const onInput = () => idle.input(Date.now());
    const events = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, onInput, { capture: true, passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, onInput, { capture: true });
    };
  }, [idle]);

  const working = state.person !== null && !state.locked;
  const { idleLockSeconds, claimLeaseSeconds } = state.settings;

  // The idle lock: checked every second; the core is told, and refuses the seat from then on.
  useEffect(() => {
    if (!working) return;
    const t = setInterval(() => {
      if (idle.isIdle(Date.now(), idleLockSeconds)) void lock();
    }, 1000);
    return () => clearInterval(t);
  }, [working, idle, idleLockSeconds, lock]);

  // The heartbeat: activity for the core's idle clock, and the claim's lease.
  useEffect(() => {
    if (!working) return;
    const beat = async () => {
      const alertId = work.current.alertId;
      const r = await raw.call('heartbeat', { active: idle.takeReport(Date.now()), alertId });
      if (!r.ok) {
        if (r.error.code === 'unauthenticated') void refresh();
        return;
      }
      apply(r.value.seat);
      if (alertId !== null && work.current.alertId === alertId && r.value.claim === null) work.current.onLost?.(null);
    };
    const t = setInterval(() => void beat(), heartbeatMs({ idleLockSeconds, claimLeaseSeconds }));
    return () => clearInterval(t);
  }, [working, raw, idle, apply, refresh, idleLockSeconds, claimLeaseSeconds]);

  // The settings an administrator changes reach every seat at once.
  useEffect(
    () =>
      raw.on('seatSettingsChanged', ({ settings }) => {
        stateRef.current = { ...stateRef.current, settings };
        setState(stateRef.current);
      }),
    [raw],
  );

  const seat = useMemo<Seat>(
    () => ({
      state,
      generation,
      client,
      apply,
      refresh,
      lock,
      signOut,
      setWork: (alertId, onLost) => void (work.current = { alertId, onLost }),
      noteActivity: () => idle.input(Date.now()),
    }),
    [state, generation, client, apply, refresh, lock, signOut, idle],
  );
  return <SeatContext value={seat}>{children}</SeatContext>;
}
