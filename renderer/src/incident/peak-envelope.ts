/** The columns of a clip's envelope, from the core's peaks: what peak-canvas.ts draws (pure, so it is tested). */

export interface EnvelopeColumns {
  /** Per column, the largest |max| and |min| of the peaks falling in it, 0..1 of the loudest. */
  above: Float32Array;
  below: Float32Array;
}

/** Interleaved (max, min) peaks folded into `columns` columns, normalized to the loudest peak. */
export function envelopeColumns(peaks: ArrayLike<number>, columns: number): EnvelopeColumns {
  if (!Number.isInteger(columns) || columns < 0) throw new Error(`columns must be a whole number >= 0, got ${columns}`);
  const above = new Float32Array(columns);
  const below = new Float32Array(columns);
  const pairs = Math.floor(peaks.length / 2);
  if (pairs === 0 || columns === 0) return { above, below };
  let loudest = 0;
  for (let i = 0; i < 2 * pairs; i++) loudest = Math.max(loudest, Math.abs(peaks[i]!));
  for (let c = 0; c < columns; c++) {
    // The pairs whose time falls in this column; at least one, so a lane wider than the peaks has no gaps.
    const from = Math.floor((c * pairs) / columns);
    const to = Math.max(from + 1, Math.floor(((c + 1) * pairs) / columns));
    let top = 0;
    let bottom = 0;
    for (let i = from; i < to; i++) {
      top = Math.max(top, Math.abs(peaks[2 * i]!));
      bottom = Math.max(bottom, Math.abs(peaks[2 * i + 1]!));
    }
    above[c] = top;
    below[c] = bottom;
  }
  if (loudest > 0) {
    for (let c = 0; c < columns; c++) {
      above[c] = above[c]! / loudest;
      below[c] = below[c]! / loudest;
    }
  }
  return { above, below };
}
