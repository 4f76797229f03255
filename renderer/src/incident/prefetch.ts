import type { EarwitnessClient, MethodOutput, Result } from '../../../src/contract/index.ts';

/**
 * The alert the N key would open next, asked for before the key is pressed: when the reviewer
 * takes it, its detail and peaks are already here and the tracks draw at once instead of after
 * two more round trips. Only what the seat shows first (getAlert, getPeaks); the audio streams
 * when played. Entries are dropped when the core says the alert changed, when they are taken, and
 * after a short life, so a view never opens on stale facts.
 */
export interface Prefetched {
  alert: Promise<Result<MethodOutput<'getAlert'>>>;
  peaks: Promise<Result<MethodOutput<'getPeaks'>>>;
  /**
   * The answers that already arrived, to use in the view's first render: awaiting a settled
   * promise still costs a render of the skeleton and another task before the tracks draw.
   */
  settled: { alert?: MethodOutput<'getAlert'>; peaks?: MethodOutput<'getPeaks'> };
}

interface Entry extends Prefetched {
  at: number;
}

/** A few alerts ahead at most: the next one, and the one after while the first is being taken. */
const KEEP = 3;
/** A prefetched detail older than this is fetched again (another seat's change could be missed while offline). */
const MAX_AGE_MS = 20_000;
/** How often a seat waiting on the same next alert renews its prefetch, inside MAX_AGE_MS. */
export const PREFETCH_REFRESH_MS = 15_000;

const byClient = new WeakMap<EarwitnessClient, Map<number, Entry>>();

function entries(client: EarwitnessClient): Map<number, Entry> {
  let map = byClient.get(client);
  if (!map) {
    map = new Map();
    byClient.set(client, map);
    const forget = ({ alert }: { alert: { id: number } }) => map!.delete(alert.id);
    client.on('alertChanged', forget);
  }
  return map;
}

/** Starts fetching an alert's detail and peaks, unless they are already on their way. */
export function prefetchAlert(client: EarwitnessClient, id: number, now = performance.now()): void {
  const map = entries(client);
  const had = map.get(id);
  // Fresh enough: on its way or here, and not due for renewal (PREFETCH_REFRESH_MS).
  if (had && now - had.at < PREFETCH_REFRESH_MS) return;
  const entry: Entry = { alert: client.call('getAlert', { id }), peaks: client.call('getPeaks', { id }), settled: {}, at: now };
  // A failed prefetch is simply not used: the view asks again and shows that error itself.
  const dropOnFailure = (r: Result<unknown>) => void (!r.ok && map.get(id) === entry && map.delete(id));
  void entry.alert.then(
    (r) => (r.ok ? (entry.settled.alert = r.value) : dropOnFailure(r)),
    () => map.delete(id),
  );
  void entry.peaks.then(
    (r) => (r.ok ? (entry.settled.peaks = r.value) : dropOnFailure(r)),
    () => map.delete(id),
  );
  map.delete(id);
  map.set(id, entry);
  while (map.size > KEEP) map.delete(map.keys().next().value!);
}

/** Whether the alert's detail and peaks are here, fresh enough to open it drawn at once. */
export function prefetchedReady(client: EarwitnessClient, id: number, now = performance.now()): boolean {
  const entry = byClient.get(client)?.get(id);
  return entry !== undefined && now - entry.at < MAX_AGE_MS && entry.settled.alert !== undefined && entry.settled.peaks !== undefined;
}

/** The prefetched detail of an alert, once: the caller owns it from then on. */
export function takePrefetched(client: EarwitnessClient, id: number, now = performance.now()): Prefetched | null {
  const map = byClient.get(client);
  const entry = map?.get(id);
  if (!entry) return null;
  map!.delete(id);
  return now - entry.at < MAX_AGE_MS ? entry : null;
}

/**
 * Resolves once the alert's prefetch, if one is on its way, has settled: true when both answers
 * arrived and the alert can open drawn (prefetchedReady), false when there is none or it failed.
 */
export async function prefetchSettled(client: EarwitnessClient, id: number): Promise<boolean> {
  const entry = byClient.get(client)?.get(id);
  if (!entry) return false;
  await Promise.allSettled([entry.alert, entry.peaks]);
  return prefetchedReady(client, id);
}
