import type { TimeDistribution } from '../../contract/audit.ts';

/** Bin edges in seconds: fine where review times cluster (under two minutes), coarse after. */
export const TIME_BINS_S = [0, 10, 20, 30, 45, 60, 90, 120, 300] as const;

/** Nearest-rank percentile of sorted values: the value at rank ceil(p/100 * n). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function distribution(secondsValues: readonly number[]): TimeDistribution {
  const s = [...secondsValues].sort((a, b) => a - b);
  const bins = TIME_BINS_S.map((from, i) => ({ fromS: from, toS: TIME_BINS_S[i + 1] ?? null, count: 0 }));
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
    p95S: percentile(s, 95),
    maxS: s.at(-1) ?? null,
    bins,
  };
}
