import { useEffect, useState } from 'react';
import type { AlertSummary, ContractError, QueueEntry, SeatSettings } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { applyClaim, applyPending } from './queue-list.ts';

/** A safety net beside the live events: a host restart or a sleeping laptop can miss some. */
const RESYNC_MS = 30_000;

export interface PendingQueue {
  alerts: QueueEntry[];
  settings: SeatSettings | null;
  /** Core clock minus this machine's clock, in µs: countdowns run on the core's time. */
  skewUs: number;
  loaded: boolean;
  error: ContractError | null;
}

/**
 * The pending alerts with their claims, loaded with getQueue and kept live by alertAdded,
 * alertChanged and claimChanged; loaded again when `generation` changes (after an unlock the
 * seat missed the events sent while it was locked).
 */
export function usePendingQueue(generation: number): PendingQueue {
  const client = useClient();
  const [state, setState] = useState<PendingQueue>({ alerts: [], settings: null, skewUs: 0, loaded: false, error: null });

  useEffect(() => {
    let live = true;
    // Events that arrive while a listing is on its way are applied again on top of it.
    let inFlight: ((list: QueueEntry[]) => QueueEntry[])[] | null = null;
    const load = async () => {
      const seen: ((list: QueueEntry[]) => QueueEntry[])[] = [];
      inFlight = seen;
      const asked = Date.now();
      const r = await client.call('getQueue', {});
      if (!live) return;
      if (inFlight === seen) inFlight = null;
      if (r.ok) {
        const localUs = ((asked + Date.now()) / 2) * 1000;
        const alerts = seen.reduce((list, f) => f(list), r.value.alerts);
        setState({ alerts, settings: r.value.settings, skewUs: r.value.nowUs - localUs, loaded: true, error: null });
      } else setState((s) => ({ ...s, loaded: true, error: r.error }));
    };
    const change = (f: (list: QueueEntry[]) => QueueEntry[]) => {
      inFlight?.push(f);
      setState((s) => ({ ...s, alerts: f(s.alerts) }));
    };
    const onAlert = ({ alert }: { alert: AlertSummary }) => change((list) => applyPending(list, alert));
    const offs = [
      client.on('alertAdded', (e) => {
        // For the view bench (tests/bench/suites/view.ts): when the seat heard of a new alert.
        performance.mark('ew:alert-added');
        onAlert(e);
      }),
      client.on('alertChanged', onAlert),
      client.on('claimChanged', ({ alertId, claim }) => change((list) => applyClaim(list, alertId, claim))),
      client.on('seatSettingsChanged', ({ settings }) => setState((s) => ({ ...s, settings }))),
    ];
    const onFocus = () => void load();
    window.addEventListener('focus', onFocus);
    const timer = setInterval(() => void load(), RESYNC_MS);
    void load();
    return () => {
      live = false;
      offs.forEach((off) => off());
      window.removeEventListener('focus', onFocus);
      clearInterval(timer);
    };
  }, [client, generation]);

  return state;
}
