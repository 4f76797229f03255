import type { Agreement, ConfusionMatrix } from '../../contract/audit.ts';

/**
 * Cohen's kappa for two raters over paired nominal labels:
 *   po = share of pairs where both gave the same label,
 *   pe = sum over labels of (share of rater A's labels) x (share of rater B's labels),
 *   kappa = (po - pe) / (1 - pe).
 * Undefined (null) with no pairs, or when pe = 1 (both raters used one and the same label for
 * everything). The standard error is Cohen's (1960) approximation sqrt(po(1-po) / (n(1-pe)^2)).
 */
export function cohenKappa(pairs: readonly (readonly [string, string])[]): Agreement {
  const n = pairs.length;
  if (n === 0) return { n: 0, observed: null, expected: null, kappa: null, se: null };
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  let agree = 0;
  for (const [x, y] of pairs) {
    a.set(x, (a.get(x) ?? 0) + 1);
    b.set(y, (b.get(y) ?? 0) + 1);
    if (x === y) agree++;
  }
  const po = agree / n;
  let pe = 0;
  for (const [label, ca] of a) pe += (ca / n) * ((b.get(label) ?? 0) / n);
  if (Math.abs(1 - pe) < 1e-12) return { n, observed: po, expected: pe, kappa: null, se: null };
  const kappa = (po - pe) / (1 - pe);
  const se = Math.sqrt((po * (1 - po)) / (n * (1 - pe) ** 2));
  return { n, observed: po, expected: pe, kappa, se };
}

/** Counts of (row label, column label) pairs over a fixed label order; labels outside it are ignored. */
export function confusion(pairs: readonly (readonly [string, string])[], labels: readonly string[], rows: string, cols: string): ConfusionMatrix {
  const index = new Map(labels.map((l, i) => [l, i]));
  const counts = labels.map(() => labels.map(() => 0));
  for (const [r, c] of pairs) {
    const i = index.get(r),
      j = index.get(c);
    if (i !== undefined && j !== undefined) counts[i]![j]!++;
  }
  return { rows, cols, labels: [...labels], counts };
}
