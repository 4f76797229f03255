import { describe, expect, it } from 'vitest';
import { LocalFrame } from '../../../../src/locate/geodesy.ts';
import { detourM, diffractionLossDb, echoImage, MATERIALS, mirrorIn, specularReflection, type Wall } from '../../../../src/ingest/demo/buildings.ts';
import { defaultNetwork } from '../../../../src/ingest/demo/network.ts';
import { renderAlert } from '../../../../src/ingest/demo/output.ts';
import { planAlert } from '../../../../src/ingest/demo/plan.ts';
import { parseIsoMicros } from '../../../../src/util/time.ts';

const network = defaultNetwork();
const START = parseIsoMicros('2026-06-14T21:00:00Z');
const dist = (a: { x: number; y: number; z: number }, b: { x: number; y: number; z: number }) => Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z);

/** A facade 50 m east of the origin, facing west (toward a source at the origin), 80 m long, 20 m high. */
const FACADE: Wall = { point: { x: 50, y: 0, z: 0 }, normal: { x: -1, y: 0, z: 0 }, reflection: 0.9, halfLengthM: 40, heightM: 20, blocks: true };
const SOURCE = { x: 0, y: 0, z: 1.5 };

describe('demo simulator: walls and buildings', () => {
  it('echoes a source as its image in the wall: the same length from the mirrored source, never shorter than the direct path', () => {
    for (const r of [
      { x: -300, y: 40, z: 10 },
      { x: -20, y: -30, z: 6 },
      { x: 10, y: 5, z: 3 },
    ]) {
      const image = echoImage(SOURCE, r, FACADE)!;
      expect(image, `${r.x},${r.y}`).not.toBeNull();
      const imageOfSource = mirrorIn(SOURCE, FACADE);
      expect(dist(image, SOURCE)).toBeCloseTo(dist(imageOfSource, r), 9);
      expect(dist(image, SOURCE)).toBeGreaterThanOrEqual(dist(r, SOURCE));
      // The extra way is at most the way to the wall and back.
      expect(dist(image, SOURCE) - dist(r, SOURCE)).toBeLessThanOrEqual(2 * 50 + 1e-9);
    }
  });

  it('sends no echo where the specular point falls beyond the facade, above its roof, or to a receiver behind it', () => {
    expect(echoImage(SOURCE, { x: -10, y: 400, z: 5 }, FACADE)).toBeNull(); // specular point 200 m north: past the end
    expect(echoImage(SOURCE, { x: 45, y: 0, z: 400 }, FACADE)).toBeNull(); // over the roof
    expect(echoImage(SOURCE, { x: 200, y: 0, z: 5 }, FACADE)).toBeNull(); // behind it
    expect(echoImage(SOURCE, { x: -10, y: 400, z: 5 }, { ...FACADE, halfLengthM: undefined })).not.toBeNull(); // an endless wall does
  });

  it('makes a receiver behind the facade hear the shortest way round it, and nothing else when the way is clear', () => {
    const behind = { x: 200, y: 10, z: 5 };
    const d = detourM(SOURCE, behind, FACADE)!;
    // The line crosses the wall at y = 2.5, 2.4 m up: over the 20 m roof there, or round the nearer end (y = +40).
    const crossZ = 1.5 + (5 - 1.5) * 0.25;
    const over = Math.hypot(50, 2.5, 20 - 1.5) + Math.hypot(150, 7.5, 20 - 5) - dist(SOURCE, behind);
    const round = Math.hypot(50, 40, crossZ - 1.5) + Math.hypot(150, 30, 5 - crossZ) - dist(SOURCE, behind);
    expect(d).toBeCloseTo(Math.min(over, round), 6);
    expect(d).toBeGreaterThan(3);
    // A lower sensor behind a taller, shorter facade hears round its end.
    const tall = { ...FACADE, heightM: 200, halfLengthM: 15 };
    expect(detourM(SOURCE, behind, tall)!).toBeCloseTo(Math.hypot(50, 15, crossZ - 1.5) + Math.hypot(150, 5, 5 - crossZ) - dist(SOURCE, behind), 6);
    expect(detourM(SOURCE, { x: -200, y: 10, z: 5 }, FACADE)).toBeNull(); // in front
    expect(detourM(SOURCE, { x: 200, y: 300, z: 5 }, FACADE)).toBeNull(); // the line passes its end
    expect(detourM(SOURCE, { x: 200, y: 10, z: 5 }, { ...FACADE, blocks: false })).toBeNull();
  });

  it("loses 5 dB at grazing and more with the detour, up to a screen's 24 dB", () => {
    expect(diffractionLossDb(0, 340)).toBeCloseTo(4.77, 1);
    expect(diffractionLossDb(1, 340)).toBeGreaterThan(diffractionLossDb(0.2, 340));
    expect(diffractionLossDb(50, 340)).toBe(24);
  });

  it('reflects most of an impulse off glass and concrete, less off ornate brick', () => {
    const hard = specularReflection(MATERIALS.glass.absorption, MATERIALS.glass.scattering[0]);
    const ornate = specularReflection(MATERIALS.ornate.absorption, MATERIALS.ornate.scattering[1]);
    expect(hard).toBeGreaterThan(0.9);
    expect(ornate).toBeLessThan(0.6);
  });
});

describe('demo simulator: the hard cases', () => {
  it("a strong echo: every sensor that hears the facade's echo hears it after the direct sound, as from the source's image fired at the same instant", () => {
    let echoes = 0;
    for (let index = 1; index <= 4; index++) {
      const plan = planAlert({ network, seed: 'echo', index, scenario: 'single_shot', conditions: { echo: true }, supersonic: false });
      const facade = plan.scene.walls.at(-1)!;
      const e = plan.scene.emissions[0]!;
      const image = mirrorIn(e.pos, facade);
      for (const r of plan.reporting) {
        const direct = r.paths.find((p) => p.emission === 1 && p.kind === 'direct');
        const fromImage = e.tUs / 1e6 + dist(image, r.sensor.local) / plan.air.speedOfSoundMs;
        const echo = r.paths.find((p) => p.emission === 1 && p.kind === 'wall' && Math.abs(p.arrivalS - fromImage) < 1e-9);
        if (!echo || !direct) continue;
        expect(echo.arrivalS).toBeGreaterThan(direct.arrivalS);
        echoes++;
      }
    }
    expect(echoes).toBeGreaterThanOrEqual(8);
  });

  it("a building in the way: one sensor's first arrival comes round it, later than the straight path and weaker", () => {
    const plan = planAlert({ network, seed: 'nlos', index: 1, scenario: 'single_shot', conditions: { nlos: true }, minSensors: 5, supersonic: false });
    const g = renderAlert(plan, { epochUs: START, id: 'N-1', noise: false });
    const late = g.truth.sensors.filter((s) => s.arrivals.some((a) => a.path === 'diffracted'));
    expect(late.length).toBeGreaterThanOrEqual(1);
    const src = g.truth.sources[0]!;
    for (const s of late) {
      const r = plan.reporting.find((p) => p.sensor.id === s.id)!;
      const straight = dist(src.local, r.sensor.local) / g.truth.speedOfSoundMs;
      const round = (s.arrivals.find((a) => a.path === 'diffracted')!.timeUs - src.timeUs) / 1e6;
      expect(round - straight).toBeGreaterThan(0.0005);
      expect(round - straight).toBeLessThan(0.2);
      expect(s.arrivals.some((a) => a.path === 'direct')).toBe(false);
    }
  });

  it('a fast string: rounds 0.1 to 0.3 s apart', () => {
    const plan = planAlert({ network, seed: 'fast', index: 1, scenario: 'semi_auto', conditions: { fastString: true } });
    const t = plan.scene.emissions.map((e) => e.tUs / 1e6);
    expect(t.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < t.length; i++) {
      expect(t[i]! - t[i - 1]!).toBeGreaterThanOrEqual(0.1);
      expect(t[i]! - t[i - 1]!).toBeLessThanOrEqual(0.3);
    }
  });

  it('GPS errors: the bundle places each sensor where its GPS fix says, off the true position by what the truth records', () => {
    const plan = planAlert({ network, seed: 'gps', index: 1, scenario: 'single_shot', gpsErrorM: 3 });
    const g = renderAlert(plan, { epochUs: START, id: 'G-1', noise: false });
    const frame = LocalFrame.around(network.sensors);
    const offsets: number[] = [];
    for (const s of g.alert.sensors) {
      const truth = g.truth.sensors.find((t) => t.id === s.id)!;
      const real = network.sensors.find((n) => n.id === s.id)!.local;
      const said = frame.toLocal({ lat: s.lat, lon: s.lon, h: s.elevationM });
      expect(Math.abs(said.x - real.x - truth.gpsErrorM!.x)).toBeLessThan(0.05);
      expect(Math.abs(said.y - real.y - truth.gpsErrorM!.y)).toBeLessThan(0.05);
      offsets.push(Math.hypot(truth.gpsErrorM!.x, truth.gpsErrorM!.y));
    }
    expect(Math.max(...offsets)).toBeGreaterThan(0.5);
    expect(Math.max(...offsets)).toBeLessThan(60);
    // Without GPS errors the bundle carries the network's surveyed positions exactly.
    const exact = renderAlert(planAlert({ network, seed: 'gps', index: 1, scenario: 'single_shot' }), { epochUs: START, id: 'G-2', noise: false });
    for (const s of exact.alert.sensors) {
      const n = network.sensors.find((x) => x.id === s.id)!;
      expect([s.lat, s.lon, s.elevationM]).toEqual([n.lat, n.lon, n.elevationM]);
    }
    expect(exact.truth.sensors.every((s) => s.gpsErrorM === undefined)).toBe(true);
  });
});
