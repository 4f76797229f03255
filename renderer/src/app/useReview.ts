import { useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { Claim } from '../../../src/contract/index.ts';
import { prefetchedReady, prefetchSettled } from '../incident/prefetch.ts';
import { useSeat } from '../seat/SeatContext.tsx';

/** The alert on the stage: under review (this seat holds its claim), or only looked at. */
export interface OpenAlert {
  id: number;
  mode: 'review' | 'view';
  /** performance.now() when it was opened for review: the review time counts from there. */
  openedAt: number;
  /**
   * Shown on N before the core confirmed the claim (the alert the seat predicted and prefetched):
   * nothing can be decided until it is confirmed; if the core gives another alert, that one opens.
   */
  claiming?: boolean;
}

export interface Review {
  open: OpenAlert | null;
  notice: string | null;
  busy: boolean;
  openAlert(id: number, status: 'pending' | 'decided' | undefined): Promise<void>;
  /**
   * N: claims the next alert; `predicted`, when prefetched, is shown at once while the claim is confirmed.
   * `by`: the N key, or the seat opening new alerts by itself (its notices then speak of no key).
   */
  next(predicted?: number | null, by?: 'key' | 'auto'): Promise<void>;
  leave(): Promise<void>;
  /** The decision was recorded: the claim ended with it. */
  decided(): void;
  /** The decision was undone: the core gave this seat the claim again; the review time goes on from `reviewedMs`. */
  undone(claim: Claim, reviewedMs: number): void;
  dismissNotice(): void;
  /** Shows a message on the stage. */
  say(message: string): void;
}

/**
 * The seat's review flow: open an alert (claiming it when it is pending and this person
 * reviews), take the next one, give it back. The heartbeat renews the claim; when the claim is
 * lost (expired, taken over from another window) the alert stays on screen for looking only.
 */
export function useReview(canReview: boolean): Review {
  const seat = useSeat();
  const { client } = seat;
  const [open, setOpen] = useState<OpenAlert | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const openRef = useRef(open);
  openRef.current = open;

  const lost = useCallback(() => {
    setOpen((o) => (o ? { ...o, mode: 'view' } : o));
    setNotice('This seat no longer holds the alert (its claim lapsed or moved to another window): it is open for looking only.');
  }, []);

  useEffect(() => seat.setWork(open?.mode === 'review' && !open.claiming ? open.id : null, lost), [seat, open, lost]);

  const openAlert = useCallback(
    async (id: number, status: 'pending' | 'decided' | undefined) => {
      setNotice(null);
      if (status !== 'pending' || !canReview) {
        if (openRef.current?.mode === 'review') void client.call('releaseClaim', { alertId: openRef.current.id });
        setOpen({ id, mode: 'view', openedAt: performance.now() });
        return;
      }
      if (openRef.current?.id === id && openRef.current.mode === 'review') return;
      setBusy(true);
      const r = await client.call('claimAlert', { alertId: id });
      setBusy(false);
      if (r.ok) setOpen({ id, mode: 'review', openedAt: performance.now() });
      else {
        setNotice(r.error.message);
        setOpen({ id, mode: 'view', openedAt: performance.now() });
      }
    },
    [client, canReview],
  );

  const next = useCallback(
    async (predicted?: number | null, by: 'key' | 'auto' = 'key') => {
      if (!canReview || busy) return;
      setBusy(true);
      const current = openRef.current;
      // Marks for the view bench (tests/bench/suites/view.ts): where the time from N to a drawn view goes.
      performance.mark('ew:next');
      // The predicted alert, when its detail and peaks are here, draws now; the claim is confirmed beside it.
      let guess: number | null = null;
      let answered = false;
      const show = (id: number) => {
        guess = id;
        setNotice(null);
        setOpen({ id, mode: 'review', openedAt: performance.now(), claiming: true });
      };
      const candidate = predicted != null && predicted !== current?.id ? predicted : null;
      if (candidate !== null && prefetchedReady(client, candidate)) show(candidate);
      else if (candidate !== null)
        // Still on its way (a new alert opened by itself): shown as soon as it is here, if the claim is not back yet.
        // Synchronously, so the view and its map are drawn in that one task rather than over several frames.
        void prefetchSettled(client, candidate).then((ready) => ready && !answered && openRef.current === current && flushSync(() => show(candidate)));
      const r = await client.call('claimNext', { skip: current?.mode === 'review' ? [current.id] : [] });
      answered = true;
      setBusy(false);
      performance.mark('ew:claimed');
      // Without a claim the guess goes: the stage shows again what it showed before N.
      const back = () => guess !== null && setOpen((o) => (o?.id === guess && o.claiming ? current : o));
      if (!r.ok) {
        back();
        return setNotice(r.error.message);
      }
      const claimed = r.value.claim?.alertId;
      if (claimed === undefined) {
        back();
        return setNotice(current?.mode === 'review' ? 'No other alert is waiting: this one stays open.' : 'No alert is waiting.');
      }
      if (claimed === guess) return setOpen((o) => (o?.id === guess ? { ...o, claiming: false } : o));
      // Another seat took the predicted alert first (or a more urgent one came): say so, and open the one this seat holds.
      const taken = by === 'key' ? 'The alert shown was taken by another seat as you pressed N' : 'The alert shown was taken by another seat as it opened';
      setNotice(guess === null ? null : `${taken}: this is the next one, now yours.`);
      setOpen({ id: claimed, mode: 'review', openedAt: performance.now() });
    },
    [client, canReview, busy],
  );

  const leave = useCallback(async () => {
    const current = openRef.current;
    setOpen(null);
    setNotice(null);
    if (current?.mode === 'review') await client.call('releaseClaim', { alertId: current.id });
  }, [client]);

  // After an unlock the core had given the claim back to the queue: take it again if still free.
  const generation = useRef(seat.generation);
  useEffect(() => {
    if (generation.current === seat.generation) return;
    generation.current = seat.generation;
    const current = openRef.current;
    if (current?.mode !== 'review') return;
    void client.call('claimAlert', { alertId: current.id }).then((r) => {
      if (!r.ok) {
        setOpen((o) => (o?.id === current.id ? { ...o, mode: 'view' } : o));
        setNotice(r.error.message);
      }
    });
  }, [seat.generation, client]);

  return {
    open,
    notice,
    busy,
    openAlert,
    next,
    leave,
    decided: () => setOpen((o) => (o ? { ...o, mode: 'view' } : o)),
    // The time spent before the undo is part of the review: the auditor's review times must not restart at 0.
    undone: (claim, reviewedMs) => setOpen((o) => (o?.id === claim.alertId ? { ...o, mode: 'review', openedAt: performance.now() - reviewedMs } : o)),
    dismissNotice: () => setNotice(null),
    say: setNotice,
  };
}
