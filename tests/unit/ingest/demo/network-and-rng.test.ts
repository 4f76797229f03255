import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseNetwork } from '../../../../src/ingest/demo/network.ts';
import { Rng } from '../../../../src/ingest/demo/rng.ts';
import { airFor, crackArrival } from '../../../../src/ingest/demo/propagation.ts';
import type { Emission } from '../../../../src/ingest/demo/scenarios.ts';

const spec = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../resources/demo-network.json', import.meta.url)), 'utf8'));

describe('demo network file', () => {
  it.each([
    ['a duplicated sensor id', (n: typeof spec) => (n.sensors[1].id = n.sensors[0].id), /appears twice/],
    ['an unknown field', (n: typeof spec) => (n.sensors[0].gain = 3), /sensors\.0/],
    ['a sample rate below 8 kHz', (n: typeof spec) => (n.sensors[0].sampleRate = 4000), /sampleRate/],
    ['a latitude out of range', (n: typeof spec) => (n.sensors[2].lat = 91), /lat/],
    ['a missing terrain', (n: typeof spec) => delete n.terrain, /terrain/],
    ['a wrong format', (n: typeof spec) => (n.format = 'something/2'), /format/],
    ['a sensor id with a path in it', (n: typeof spec) => (n.sensors[0].id = '../x'), /id/],
  ])('refuses %s, saying where', (_what, mutate, message) => {
    const n = structuredClone(spec);
    mutate(n);
    expect(() => parseNetwork(n, 'net.json')).toThrow(message);
  });
});

describe('seeded random streams', () => {
  it('repeats for the same path and differs for another', () => {
    const a = Rng.of('x', 1),
      b = Rng.of('x', 1),
      c = Rng.of('x', 2);
    const seq = (r: Rng) => Array.from({ length: 5 }, () => r.u32());
    expect(seq(a)).toEqual(seq(b));
    expect(seq(Rng.of('x', 1))).not.toEqual(seq(c));
  });

  it('gives forks that do not move their parent', () => {
    const a = Rng.of('p'),
      b = Rng.of('p');
    a.fork('child').next();
    a.fork('other').next();
    expect(a.next()).toBe(b.next());
  });

  it('draws uniform numbers in [0, 1) with the right mean, and unit-variance noise', () => {
    const r = Rng.of('stats');
    let sum = 0,
      sq = 0,
      min = 1,
      max = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      sum += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
      const g = r.noise();
      sq += g * g;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sq / n).toBeCloseTo(1, 1);
  });
});

describe('bullet shock geometry', () => {
  const c = airFor(20, 50).speedOfSoundMs;
  const shot = (speedMs: number): Emission => ({
    index: 1,
    kind: 'muzzle',
    tUs: 0,
    pos: { x: 0, y: 0, z: 1.5 },
    heightM: 1.5,
    levelDb: 160,
    shape: { kind: 'friedlander', positiveS: 1e-3, decay: 2 },
    directivity: null,
    round: true,
    bullet: { dir: { x: 0, y: 1, z: 0 }, speedMs, rangeM: 800, crackLevelDb: 150, crackDurationS: 1.5e-4 },
  });

  it('reaches a point beside the trajectory at the Mach angle, before the muzzle blast', () => {
    const r = { x: 50, y: 300, z: 1.5 };
    const a = crackArrival(shot(850), r, c)!;
    // Brute force over the emission point along the trajectory gives the same first arrival.
    let best = Infinity;
    for (let s = 0; s <= 800; s += 0.01) best = Math.min(best, s / 850 + Math.hypot(r.x, r.y - s) / c);
    expect(a.delayS).toBeCloseTo(best, 6);
    expect(a.delayS).toBeLessThan(Math.hypot(r.x, r.y) / c);
    expect(a.missM).toBeCloseTo(50, 6);
  });

  it('never reaches a point behind the shooter, nor anything from a subsonic bullet', () => {
    expect(crackArrival(shot(850), { x: 10, y: -200, z: 1.5 }, c)).toBeNull();
    expect(crackArrival(shot(300), { x: 50, y: 300, z: 1.5 }, c)).toBeNull();
  });
});
