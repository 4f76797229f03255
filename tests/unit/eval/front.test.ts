import { describe, expect, it } from 'vitest';
import { pulseAt } from '../../../src/ingest/demo/waveforms.ts';
import { pulseFront } from '../../eval/lib/front.ts';

/** A rifle-like blast (1.4 ms positive phase) at 48 kHz, 10 ms into a quiet clip, its front drawn with the given rise. */
function clip(riseS: number, sampleRate = 48000): Float32Array {
  const x = new Float32Array(sampleRate / 20);
  const shape = { kind: 'friedlander' as const, positiveS: 1.4e-3, decay: 2 };
  for (let n = 0; n < x.length; n++) x[n] = 0.5 * pulseAt(shape, n / sampleRate - 0.01, riseS);
  return x;
}

describe('the front-sharpness measure of onset-front', () => {
  it('times a sharp front within a sample or two and a smeared one several times slower', () => {
    const sharp = pulseFront(clip(20e-6), 48000, 0.01)!;
    const smeared = pulseFront(clip(400e-6), 48000, 0.01)!;
    expect(sharp.rise1090S).toBeLessThan(2.5 / 48000);
    expect(smeared.rise1090S).toBeGreaterThan(3 * sharp.rise1090S);
    expect(smeared.slopeRiseS).toBeGreaterThan(3 * sharp.slopeRiseS);
  });

  it('finds the lobe of either polarity (a microphone wired the other way)', () => {
    const up = pulseFront(clip(200e-6), 48000, 0.01)!;
    const down = pulseFront(
      clip(200e-6).map((v) => -v),
      48000,
      0.01,
    )!;
    expect(down.rise1090S).toBeCloseTo(up.rise1090S, 9);
  });
});
