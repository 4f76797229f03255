/**
 * Second-order IIR sections (RBJ audio-EQ cookbook), run in place on Float32 audio. Own code
 * rather than a library: a cascade of biquads is a dozen lines, allocation-free, and fast
 * enough for minutes of audio per alert in a few milliseconds.
 */

export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

const Q_BUTTERWORTH = Math.SQRT1_2;

export function highPass(sampleRate: number, hz: number, q = Q_BUTTERWORTH): Biquad {
  const w = (2 * Math.PI * hz) / sampleRate,
    cw = Math.cos(w),
    alpha = Math.sin(w) / (2 * q),
    a0 = 1 + alpha;
  return { b0: (1 + cw) / 2 / a0, b1: -(1 + cw) / a0, b2: (1 + cw) / 2 / a0, a1: (-2 * cw) / a0, a2: (1 - alpha) / a0 };
}

export function lowPass(sampleRate: number, hz: number, q = Q_BUTTERWORTH): Biquad {
  const w = (2 * Math.PI * hz) / sampleRate,
    cw = Math.cos(w),
    alpha = Math.sin(w) / (2 * q),
    a0 = 1 + alpha;
  return { b0: (1 - cw) / 2 / a0, b1: (1 - cw) / a0, b2: (1 - cw) / 2 / a0, a1: (-2 * cw) / a0, a2: (1 - alpha) / a0 };
}

/** Runs the sections one after the other over x, returning a new array. */
export function filterCascade(x: Float32Array, sections: readonly Biquad[]): Float32Array {
  const y = Float32Array.from(x);
  for (const s of sections) {
    let x1 = 0,
      x2 = 0,
      y1 = 0,
      y2 = 0;
    for (let n = 0; n < y.length; n++) {
      const x0 = y[n]!;
      const y0 = s.b0 * x0 + s.b1 * x1 + s.b2 * x2 - s.a1 * y1 - s.a2 * y2;
      x2 = x1;
      x1 = x0;
      y2 = y1;
      y1 = y0;
      y[n] = y0;
    }
  }
  return y;
}

/**
 * The band the picker listens in: a muzzle blast carries most of its energy from a few hundred
 * hertz to a few kilohertz, while traffic and wind rumble sit below 200 Hz and voices' energy
 * is mostly under 1 kHz but sustained. 4th-order high-pass at 250 Hz, 2nd-order low-pass at
 * 4 kHz (or 0.4 of the sample rate when that is lower).
 */
export function pickerBand(sampleRate: number): Biquad[] {
  const top = Math.min(4000, 0.4 * sampleRate);
  return [highPass(sampleRate, 250, 0.5412), highPass(sampleRate, 250, 1.3066), lowPass(sampleRate, top)];
}
