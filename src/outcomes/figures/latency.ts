import type { Latency } from '../../contract/index.ts';

/** Bin edges, seconds: a review centre publishes within a minute or two; past 15 minutes something waited. */
export const LATENCY_BINS_S = [0, 15, 30, 60, 120, 300, 900] as const;

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: readonly number[], p: number): number | null =>
  sorted.length ? sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]! : null;

export function latency(seconds: readonly number[]): Latency {
  const s = [...seconds].sort((a, b) => a - b);
  const bins = LATENCY_BINS_S.map((from, i) => ({ fromS: from, toS: LATENCY_BINS_S[i + 1] ?? null, count: 0 }));
  for (const v of s) {
    let i = bins.length - 1;
    while (i > 0 && v < bins[i]!.fromS) i--;
    bins[i]!.count++;
  }
  return {
    n: s.length,
    meanS: s.length ? s.reduce((a, b) => a + b, 0) / s.length : null,
    p50S: percentile(s, 50),
    p90S: percentile(s, 90),
    maxS: s.at(-1) ?? null,
    bins,
  };
}
