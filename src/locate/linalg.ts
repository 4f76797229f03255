/**
 * Dense linear algebra for the locator's 3x3 and 4x4 systems. Own code: a library would cost
 * more in allocation than these problems take to solve, and the solver runs on every drag.
 * Matrices are row-major number[] of n*n.
 */

/** Inverse of a symmetric positive (semi-)definite n x n matrix by Gauss-Jordan with partial pivoting, or null when singular. */
export function invert(a: readonly number[], n: number): number[] | null {
  const m = a.slice();
  const inv = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(m[i * n + i]!));
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]!) > Math.abs(m[piv * n + col]!)) piv = r;
    const p = m[piv * n + col]!;
    if (!Number.isFinite(p) || Math.abs(p) <= scale * 1e-13 || p === 0) return null;
    if (piv !== col) {
      for (let k = 0; k < n; k++) {
        [m[col * n + k], m[piv * n + k]] = [m[piv * n + k]!, m[col * n + k]!];
        [inv[col * n + k], inv[piv * n + k]] = [inv[piv * n + k]!, inv[col * n + k]!];
      }
    }
    for (let k = 0; k < n; k++) {
      m[col * n + k]! /= p;
      inv[col * n + k]! /= p;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r * n + col]!;
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        m[r * n + k]! -= f * m[col * n + k]!;
        inv[r * n + k]! -= f * inv[col * n + k]!;
      }
    }
  }
  return inv;
}

/** x = A^-1 b for a small square system, or null when singular. */
export function solveLinear(a: readonly number[], b: readonly number[], n: number): number[] | null {
  const inv = invert(a, n);
  if (!inv) return null;
  const x = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) x[i]! += inv[i * n + k]! * b[k]!;
  return x;
}

/** Eigen-decomposition of a symmetric 2x2 [[a, b], [b, d]]: larger eigenvalue first, with its unit vector. */
export function eigen2(a: number, b: number, d: number): { l1: number; l2: number; v1: [number, number] } {
  const tr = a + d,
    det = a * d - b * b;
  const disc = Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
  const l1 = tr / 2 + disc,
    l2 = tr / 2 - disc;
  let v: [number, number] = Math.abs(b) > 1e-300 ? [l1 - d, b] : a >= d ? [1, 0] : [0, 1];
  const len = Math.hypot(v[0], v[1]);
  v = [v[0] / len, v[1] / len];
  return { l1, l2: Math.max(0, l2), v1: v };
}
