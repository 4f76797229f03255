import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import { decodePeaks, type AlertDetail, type ContractError, type MethodOutput } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { takePrefetched, type Prefetched } from './prefetch.ts';

/** How long an arrived detail waits for peaks still on their way before the view is drawn without them. */
const JOIN_PEAKS_MS = 150;

export interface AlertDetailState {
  alert: AlertDetail | null;
  /** Interleaved max/min peaks by sensor; null until they arrive. */
  peaks: ReadonlyMap<string, ArrayLike<number>> | null;
  error: ContractError | null;
  /** Fetch the alert again (after a decision), keeping the peaks. */
  reload(): void;
}

/**
 * One alert and its peaks, fetched side by side (or taken from what was prefetched for the N
 * key); the alert is fetched again whenever the core says it changed.
 */
export function useAlertDetail(id: number): AlertDetailState {
  const client = useClient();
  // Taken once per alert, on the first render: both effects below start from it.
  // What of the prefetch had already arrived then is shown in the first render, with no skeleton in
  // between, and is kept apart: an answer arriving after that render is taken by the effects below.
  const [prefetched] = useState(() => {
    const got = takePrefetched(client, id);
    return { id, got, alert: got?.settled.alert ?? null, peaks: got?.settled.peaks ?? null };
  });
  const early: Prefetched | null = prefetched.id === id ? prefetched.got : null;
  const [alert, setAlert] = useState<AlertDetail | null>(prefetched.alert);
  const [peaks, setPeaks] = useState<ReadonlyMap<string, Float32Array> | null>(() => (prefetched.peaks ? bySensor(prefetched.peaks) : null));
  const [error, setError] = useState<ContractError | null>(null);
  const [generation, setGeneration] = useState(0);

  // The first load: the detail and the peaks side by side (or what the prefetch has of them).
  useEffect(() => {
    if (prefetched.alert) performance.mark('ew:detail');
    if (prefetched.peaks) performance.mark('ew:peaks');
    if (prefetched.alert && prefetched.peaks) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const peaksArrived = prefetched.peaks
      ? null
      : (early?.peaks ?? client.call('getPeaks', { id })).then((r) => {
          if (!live) return;
          performance.mark('ew:peaks');
          // Synchronously: the tracks (and the map's layers, added in effects) are drawn in this one task, not over frames.
          if (r.ok) flushSync(() => setPeaks(bySensor(r.value)));
          else setError(r.error);
        });
    if (!prefetched.alert)
      void (early?.alert ?? client.call('getAlert', { id })).then(async (r) => {
        if (!live) return;
        performance.mark('ew:detail');
        if (!r.ok) return setError(r.error);
        // The view waits a moment for the peaks: one render with both draws every track with the
        // view, where a render of the view and then one of its tracks costs a second pass over all of it.
        if (peaksArrived) await Promise.race([peaksArrived, new Promise((resolve) => (timer = setTimeout(resolve, JOIN_PEAKS_MS)))]);
        if (live) flushSync(() => setAlert(r.value));
      });
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // Once per alert: `prefetched` and `early` are fixed for it.
  }, [client, id]);

  // Again whenever the core says the alert changed (or after a decision): the peaks stay.
  useEffect(() => {
    if (generation === 0) return;
    let live = true;
    void client.call('getAlert', { id }).then((r) => {
      if (!live) return;
      if (r.ok) setAlert(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [client, id, generation]);

  useEffect(
    () =>
      client.on('alertChanged', ({ alert: changed }) => {
        if (changed.id === id) setGeneration((g) => g + 1);
      }),
    [client, id],
  );

  return { alert, peaks, error, reload: () => setGeneration((g) => g + 1) };
}

const bySensor = (p: MethodOutput<'getPeaks'>): ReadonlyMap<string, Float32Array> => new Map(p.tracks.map((t) => [t.sensorId, decodePeaks(t.peaks)]));
