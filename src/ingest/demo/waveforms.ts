/**
 * Pressure waveforms of the demo's sources, as functions of time since the wave's first
 * arrival. They are evaluated at each sample's exact time, so an arrival lands between
 * samples where geometry puts it (no rounding to the sample grid), and every shape is zero
 * up to its arrival and starts rising only after it: the first sample that moves is the
 * first sample after the true arrival.
 */

export type PulseShape =
  /** Blast wave (muzzle blast, fireworks burst): a sharp rise, exponential fall through a negative phase. */
  | { kind: 'friedlander'; positiveS: number; decay: number }
  /** Supersonic bullet's shock: the N-wave, a sharp rise, a linear fall, a sharp return. */
  | { kind: 'nwave'; durationS: number }
  /** An impact (hammer on steel, nail gun): a click and the ringing modes of what was hit. */
  | { kind: 'ringing'; clickS: number; modesHz: number[]; decayS: number }
  /** Vehicle backfire: a slow blast with the exhaust pipe's low resonance after it. */
  | { kind: 'backfire'; positiveS: number; decay: number; resonanceHz: number; resonanceDecayS: number };

/**
 * The shape at time tau (seconds after arrival), peak about 1. riseS is the rise time the
 * air adds: absorption takes the high frequencies, so far arrivals rise more slowly.
 */
export function pulseAt(shape: PulseShape, tau: number, riseS: number): number {
  if (tau <= 0) return 0;
  const rise = 1 - Math.exp(-tau / riseS);
  switch (shape.kind) {
    case 'friedlander': {
      const u = tau / shape.positiveS;
      return rise * (1 - u) * Math.exp(-shape.decay * u);
    }
    case 'nwave': {
      const d = shape.durationS;
      if (tau < d) return rise * (1 - (2 * tau) / d);
      // The rear shock returns to ambient as fast as the front rose.
      return -(1 - Math.exp(-d / riseS)) * Math.exp(-(tau - d) / riseS);
    }
    case 'ringing': {
      const click = (1 - tau / shape.clickS) * Math.exp(-2 * (tau / shape.clickS));
      let ring = 0;
      for (let m = 0; m < shape.modesHz.length; m++) {
        ring += (Math.sin(2 * Math.PI * shape.modesHz[m]! * tau) * Math.exp((-tau * (m + 1)) / shape.decayS)) / (m + 1);
      }
      return rise * (0.7 * click + 0.45 * ring);
    }
    case 'backfire': {
      const u = tau / shape.positiveS;
      const blast = (1 - u) * Math.exp(-shape.decay * u);
      const resonance = 0.35 * Math.sin(2 * Math.PI * shape.resonanceHz * tau) * Math.exp(-tau / shape.resonanceDecayS);
      return rise * (blast + resonance);
    }
  }
}

/** How long after its arrival the shape stays above 1e-4 of its peak (plus the rise's own tail). */
export function pulseLengthS(shape: PulseShape, riseS: number): number {
  switch (shape.kind) {
    case 'friedlander':
      return shape.positiveS * (2 + 10 / shape.decay) + 10 * riseS;
    case 'nwave':
      return shape.durationS + 10 * riseS;
    case 'ringing':
      return Math.max(shape.clickS * 6, shape.decayS * 9.3) + 10 * riseS;
    case 'backfire':
      return Math.max(shape.positiveS * (2 + 10 / shape.decay), shape.resonanceDecayS * 8) + 10 * riseS;
  }
}
