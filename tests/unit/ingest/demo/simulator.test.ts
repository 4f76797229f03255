import { describe, expect, it } from 'vitest';
import { decodeChannel, parseWav } from '../../../../src/audio/wav.ts';
import { LocalFrame } from '../../../../src/locate/geodesy.ts';
import { generateSeries, seriesScenarios } from '../../../../src/ingest/demo/generate.ts';
import { defaultNetwork } from '../../../../src/ingest/demo/network.ts';
import { renderAlert } from '../../../../src/ingest/demo/output.ts';
import { planAlert } from '../../../../src/ingest/demo/plan.ts';
import { SCENARIO_KINDS } from '../../../../src/ingest/demo/scenarios.ts';
import { parseIsoMicros } from '../../../../src/util/time.ts';

const network = defaultNetwork();
const START = parseIsoMicros('2026-06-14T21:00:00Z');

/** Index of the first sample that moves: in a clip with no background, the first arrival. */
function firstMovingSample(x: Float32Array): number {
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) return i;
  return -1;
}

describe('demo simulator: timing', () => {
  // Each case renders clips with no background, so the first sample that moves is the first
  // arrival. Expected times are computed here from the bundle's sensor positions and the
  // truth's source positions and times, through ECEF, independently of the simulator's frame.
  it.each(SCENARIO_KINDS)('%s: every clip starts moving within one sample after the geometric first arrival', (kind) => {
    // A sensor that triggered on a later, louder impact may start its clip amid an earlier
    // one's sound; such sensors are left out, and the first alert with three others is used.
    for (let index = 1; index <= 20; index++) {
      const plan = planAlert({ network, seed: 'timing', index, scenario: kind, supersonic: false, encoding: 'float32' });
      // A sensor behind a building hears the sound round it, later: its timing is checked apart (buildings.test.ts).
      const clean = plan.reporting.filter(
        (r) => Math.min(...r.paths.map((p) => p.arrivalS)) > r.clipStartRelUs / 1e6 && !r.paths.some((p) => p.kind === 'diffracted'),
      );
      if (clean.length < 3) continue;
      expect(checkTiming(plan, index)).toBe(clean.length);
      return;
    }
    expect.fail(`no ${kind} alert had three sensors whose clips start before the first arrival`);
  });

  function checkTiming(plan: ReturnType<typeof planAlert>, index: number): number {
    const g = renderAlert(plan, { epochUs: START, id: `T-${index}`, noise: false });
    const frame = LocalFrame.around(g.alert.sensors);
    const c = 20.03 * Math.sqrt(g.truth.weather.temperatureC + 273.15);
    const measured: number[] = [];
    const expected: number[] = [];
    const rates: number[] = [];
    for (const s of g.alert.sensors) {
      if (g.truth.sensors.find((t) => t.id === s.id)!.arrivals.some((a) => a.path === 'diffracted')) continue;
      const bytes = g.clips.find((cl) => cl.name === s.clip)!.bytes;
      const info = parseWav(bytes);
      const p = frame.toLocal({ lat: s.lat, lon: s.lon, h: s.elevationM });
      const first = Math.min(
        ...g.truth.sources.map((src) => {
          const q = frame.toLocal({ lat: src.position.lat, lon: src.position.lon, h: src.position.elevationM });
          return src.timeUs / 1e6 + Math.hypot(p.x - q.x, p.y - q.y, p.z - q.z) / c;
        }),
      );
      const clipStartS = parseIsoMicros(s.clipStart) / 1e6;
      if (first <= clipStartS) continue;
      const k = firstMovingSample(decodeChannel(bytes, info));
      expect(k, `${s.id} has a sample that moves`).toBeGreaterThan(0);
      // Relative to the start of the series, so doubles keep sub-microsecond precision.
      const m = clipStartS - START / 1e6 + k / info.sampleRate;
      const e = first - START / 1e6;
      const sampleS = 1 / info.sampleRate;
      expect(m - e, `${s.id}: first moving sample ${((m - e) * 1e6).toFixed(2)} µs after the arrival`).toBeGreaterThan(-1e-6);
      expect(m - e, `${s.id}: first moving sample ${((m - e) * 1e6).toFixed(2)} µs after the arrival`).toBeLessThanOrEqual(sampleS + 1e-6);
      measured.push(m);
      expected.push(e);
      rates.push(info.sampleRate);
    }
    // Arrival differences between any two sensors agree with geometry to within a sample of the coarser clip.
    for (let i = 0; i < measured.length; i++) {
      for (let j = i + 1; j < measured.length; j++) {
        const tol = 1 / Math.min(rates[i]!, rates[j]!) + 2e-6;
        expect(Math.abs(measured[i]! - measured[j]! - (expected[i]! - expected[j]!))).toBeLessThanOrEqual(tol);
      }
    }
    return measured.length;
  }

  it('puts the crack of a supersonic bullet before the muzzle blast where a sensor is inside the Mach cone', () => {
    let cracks = 0;
    for (let index = 1; index <= 12 && cracks < 3; index++) {
      const plan = planAlert({ network, seed: 'crack', index, scenario: 'single_shot' });
      const g = renderAlert(plan, { epochUs: START, id: `C-${index}`, noise: false });
      for (const s of g.truth.sensors) {
        const crack = s.arrivals.find((a) => a.path === 'crack');
        const blast = s.arrivals.find((a) => a.path === 'direct');
        if (!crack || !blast) continue;
        expect(g.truth.sources[0]!.supersonic).toBe(true);
        expect(crack.timeUs).toBeLessThan(blast.timeUs);
        cracks++;
      }
    }
    expect(cracks).toBeGreaterThan(0);
  });
});

describe('demo simulator: the network and its sensors', () => {
  it('holds 10 to 15 sensors, each 300 to 700 m from its nearest neighbour, standing on the terrain', () => {
    const s = network.sensors;
    expect(s.length).toBeGreaterThanOrEqual(10);
    expect(s.length).toBeLessThanOrEqual(15);
    for (const a of s) {
      const nearest = Math.min(...s.filter((b) => b !== a).map((b) => Math.hypot(a.local.x - b.local.x, a.local.y - b.local.y)));
      expect(nearest, a.id).toBeGreaterThanOrEqual(300);
      expect(nearest, a.id).toBeLessThanOrEqual(700);
      expect(Math.abs(a.groundZ - network.groundAt(a.local.x, a.local.y)), `${a.id} mast foot on the ground`).toBeLessThan(0.5);
    }
    expect(new Set(s.map((x) => x.sampleRate))).toEqual(new Set([12000, 16000, 48000]));
    expect(new Set(s.map((x) => x.encoding))).toEqual(new Set(['pcm16', 'float32']));
  });

  it('lets only sensors that heard the event loudly enough report, and keeps samples within full scale', () => {
    const [a, b] = [...generateSeries({ network, seed: 'range', count: 2, startUs: START })];
    for (const g of [a!, b!]) {
      const reported = new Set(g.alert.sensors.map((s) => s.id));
      expect(reported.size).toBeGreaterThanOrEqual(3);
      expect(reported.size + g.truth.silentSensors.length).toBe(network.sensors.length);
      for (const s of g.truth.sensors) {
        const spec = network.sensors.find((x) => x.id === s.id)!;
        expect(s.peakDbSpl).toBeGreaterThanOrEqual(spec.noiseDbSpl + network.spec.trigger.snrDb - 0.1);
      }
      for (const s of g.truth.silentSensors) expect(reported.has(s.id)).toBe(false);
      for (const c of g.clips) {
        const x = decodeChannel(c.bytes, parseWav(c.bytes));
        let peak = 0;
        for (const v of x) peak = Math.max(peak, Math.abs(v));
        expect(peak).toBeLessThanOrEqual(1);
        expect(peak).toBeGreaterThan(0);
      }
    }
  });

  it('gives each sensor its own GPS-timed clip start, before its first arrival', () => {
    const [g] = [...generateSeries({ network, seed: 'starts', count: 1, startUs: START })];
    const starts = g!.alert.sensors.map((s) => parseIsoMicros(s.clipStart));
    expect(new Set(starts).size).toBe(starts.length);
    for (const s of g!.truth.sensors) {
      const pre = (s.arrivals[0]!.timeUs - s.clipStartUs) / 1e6;
      expect(pre).toBeGreaterThan(0.5);
      expect(pre).toBeLessThan(network.spec.trigger.preRollS[1] + 12);
    }
  });

  it("renders a series from a later alert on as the same alerts as the whole series' tail", () => {
    const whole = [...generateSeries({ network, seed: 'tail', count: 3, startUs: START })];
    const tail = [...generateSeries({ network, seed: 'tail', count: 3, startUs: START, from: 3 })];
    expect(tail).toHaveLength(1);
    expect(tail[0]!.id).toBe(whole[2]!.id);
    expect(tail[0]!.truth).toEqual(whole[2]!.truth);
    expect(tail[0]!.clips.map((c) => Buffer.from(c.bytes).toString('base64'))).toEqual(whole[2]!.clips.map((c) => Buffer.from(c.bytes).toString('base64')));
  });

  it('shows every scenario once in the first seven alerts of a series, whatever the seed', () => {
    for (const seed of [1, 2, 'x']) expect(new Set(seriesScenarios(seed, 7))).toEqual(new Set(SCENARIO_KINDS));
  });
});

describe('demo simulator: determinism', () => {
  const bundleBytes = (seed: string) =>
    [...generateSeries({ network, seed, count: 3, startUs: START })].map((g) => ({
      json: JSON.stringify(g.alert),
      truth: JSON.stringify(g.truth),
      clips: g.clips,
    }));

  it('gives byte-identical bundles for the same seed, and different ones for another', () => {
    const a = bundleBytes('same');
    const b = bundleBytes('same');
    expect(a.map((x) => x.json)).toEqual(b.map((x) => x.json));
    expect(a.map((x) => x.truth)).toEqual(b.map((x) => x.truth));
    for (let i = 0; i < a.length; i++) {
      expect(a[i]!.clips.map((c) => c.name)).toEqual(b[i]!.clips.map((c) => c.name));
      a[i]!.clips.forEach((c, j) => expect(Buffer.compare(c.bytes, b[i]!.clips[j]!.bytes)).toBe(0));
    }
    const other = bundleBytes('other');
    expect(other.map((x) => x.json)).not.toEqual(a.map((x) => x.json));
  });
});
