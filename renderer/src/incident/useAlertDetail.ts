import { useEffect, useState } from 'react';
import { decodePeaks, type AlertDetail, type ContractError, type MethodOutput } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { takePrefetched, type Prefetched } from './prefetch.ts';

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

  useEffect(() => {
    if (generation === 0 && prefetched.alert) return void performance.mark('ew:detail');
    let live = true;
    const asked = generation === 0 && early ? early.alert : client.call('getAlert', { id });
    void asked.then((r) => {
      if (!live) return;
      performance.mark('ew:detail');
      if (r.ok) setAlert(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
    // `early` is fixed for this alert: it only decides where the first answer comes from.
  }, [client, id, generation]);

  useEffect(() => {
    if (prefetched.peaks) return void performance.mark('ew:peaks');
    let live = true;
    void (early?.peaks ?? client.call('getPeaks', { id })).then((r) => {
      if (!live) return;
      performance.mark('ew:peaks');
      if (r.ok) setPeaks(bySensor(r.value));
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [client, id]);

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
