import { describe, expect, it } from 'vitest';
import { closedFormStarts, solveFix, type Observation } from '../../../src/locate/solve.ts';
import { prng } from '../../support/riff.ts';

const C = 331.3;
const sensors = [
  { x: -11625, y: 3374, z: -125 },
  { x: -11251, y: 3584, z: -111 },
  { x: -11420, y: 3688, z: -136 },
  { x: -11700, y: 3700, z: -90 },
  { x: -11300, y: 3300, z: -100 },
  { x: -11500, y: 3950, z: -70 },
];
const source = { x: -11450.2, y: 3653.5, z: -92.9 };
const T0 = 3.21;

function arrivals(n: number, threeD: boolean, noiseS = 0, seed = 1): Observation[] {
  const rnd = prng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  return sensors.slice(0, n).map((s) => ({
    ...s,
    t: T0 + Math.hypot(s.x - source.x, s.y - source.y, threeD ? s.z - source.z : 0) / C + noiseS * gauss(),
  }));
}

describe('solveFix', () => {
  it('recovers an exact 2-D source and emission time from three, four and six sensors', () => {
    for (const n of [3, 4, 6]) {
      const fix = solveFix(arrivals(n, false), { c: C, elevation: null })!;
      expect(Math.hypot(fix.x - source.x, fix.y - source.y)).toBeLessThan(1e-3);
      expect(Math.abs(fix.t0 - T0)).toBeLessThan(1e-8);
      expect(Math.sqrt(fix.rss)).toBeLessThan(1e-8);
    }
  });

  it('offers the true source among the closed-form starts', () => {
    const starts = closedFormStarts(arrivals(3, false), C);
    expect(Math.min(...starts.map((s) => Math.hypot(s.x - source.x, s.y - source.y)))).toBeLessThan(1e-3);
  });

  it('in 2.5-D removes the bias heights put into a 2-D fix', () => {
    const obs = arrivals(6, true);
    const flat = solveFix(obs, { c: C, elevation: null })!;
    const tall = solveFix(obs, { c: C, elevation: { priorZ: -100, sigmaM: 20 } })!;
    const e2 = Math.hypot(flat.x - source.x, flat.y - source.y),
      e25 = Math.hypot(tall.x - source.x, tall.y - source.y);
    expect(e25).toBeLessThan(0.5);
    expect(e25).toBeLessThan(e2 / 3);
  });

  it('scatters about as the Cramer-Rao bound says under Gaussian timing noise', () => {
    const sigma = 0.0005;
    let sq = 0,
      bound = 0;
    const runs = 400;
    for (let k = 0; k < runs; k++) {
      const fix = solveFix(arrivals(6, false, sigma, k + 1), { c: C, elevation: null })!;
      sq += (fix.x - source.x) ** 2 + (fix.y - source.y) ** 2;
      bound += (fix.unitCov[0] + fix.unitCov[2]) * sigma * sigma;
    }
    const ratio = Math.sqrt(sq / runs) / Math.sqrt(bound / runs);
    expect(ratio).toBeGreaterThan(0.85);
    expect(ratio).toBeLessThan(1.15);
  });

  it('returns null for fewer than three sensors and for collinear sensors with equal times', () => {
    expect(solveFix(arrivals(2, false), { c: C, elevation: null })).toBeNull();
    const line = [0, 100, 200].map((x) => ({ x, y: 0, z: null, t: 1 }));
    const fix = solveFix(line, { c: C, elevation: null });
    if (fix) expect(Number.isFinite(fix.x) && Number.isFinite(fix.y)).toBe(true);
  });
});
