import { blockingBuilding } from './buildings.ts';
import { classify, type MachineCall } from './classify.ts';
import type { DemoNetwork, DemoSensor } from './network.ts';
import { backgroundDb } from './noise.ts';
import { airFor, paToDb, pathsFrom, peakPa, type Air, type Path } from './propagation.ts';
import { Rng } from './rng.ts';
import { makeScene, SCENARIO_WEIGHTS, type Scene, type SceneConditions, type ScenarioKind } from './scenarios.ts';
import { pulseLengthS } from './waveforms.ts';

/**
 * Plans one alert: weather, what happened and where, every sound path to every sensor,
 * which sensors heard it loudly enough to trigger, and when each one's clip starts. All
 * geometry and timing, no audio: cheap, so the live feed can plan first and then set the
 * epoch so the clips have just ended. Times are relative to the event epoch.
 */

export interface PlanOptions {
  network: DemoNetwork;
  /** Names the random stream: the same seed and index give the same alert. */
  seed: string | number;
  index: number;
  /** Default: drawn by weight. */
  scenario?: ScenarioKind;
  /** Default: the network's trigger.minSensors. */
  minSensors?: number;
  /** Keep only the first N sensors to trigger. */
  maxSensors?: number;
  /** Fixed clip length; default: long enough for the event, 4 to 12 s. */
  durationS?: number;
  /** Override every sensor's sample rate or encoding. */
  sampleRate?: number;
  encoding?: 'pcm16' | 'pcm24' | 'float32';
  /** false: no supersonic bullets (tests of muzzle-blast timing). */
  supersonic?: boolean;
  /**
   * Hard cases the scene must hold (the locator's evaluation): a strong echo, a fast string,
   * and `nlos`: a building between the source and one reporting sensor (not the first to
   * hear it), so that its first arrival is diffracted, late.
   */
  conditions?: SceneConditions & { nlos?: boolean };
  /**
   * Sensors report their position from a GPS fix: each reporting sensor's position in the
   * bundle is off the true one by a draw of this sigma (metres, each horizontal axis; 1.5 times
   * it vertically), one sensor in ten by four times it. Default 0: surveyed positions.
   */
  gpsErrorM?: number;
}

export interface PlannedSensor {
  sensor: DemoSensor;
  /** Where the bundle says the sensor is: its true position plus the GPS error. */
  reportedLocal: { x: number; y: number; z: number };
  paths: Path[];
  /** First arrival loud enough to trigger, seconds after the epoch. */
  triggerS: number;
  clipStartRelUs: number;
  /** Distance to the first round's source. */
  distanceM: number;
  peakDb: number;
  sampleRate: number;
  encoding: 'pcm16' | 'pcm24' | 'float32';
}

export interface Weather {
  temperatureC: number;
  reportedTemperatureC: number;
  relativeHumidity: number;
  windSpeedMs: number;
  windFromDeg: number;
}

export interface AlertPlan {
  rng: Rng;
  network: DemoNetwork;
  scene: Scene;
  air: Air;
  weather: Weather;
  reporting: PlannedSensor[];
  silent: { sensor: DemoSensor; distanceM: number; peakDb: number }[];
  durationS: number;
  /** When the network raised the alert (after the last clip ended), microseconds after the epoch. */
  detectedRelUs: number;
  machine: MachineCall;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

function drawWeather(net: DemoNetwork, rng: Rng): Weather {
  const c = net.spec.climate;
  const t = round1(Math.min(c.temperatureC.max, Math.max(c.temperatureC.min, rng.normal(c.temperatureC.mean, c.temperatureC.sd))));
  return {
    temperatureC: t,
    reportedTemperatureC: round1(t + rng.normal(0, 0.4)), // the network's own thermometer is not the air along every path
    relativeHumidity: Math.round(rng.uniform(c.relativeHumidity[0], c.relativeHumidity[1])),
    windSpeedMs: round1(rng.uniform(c.windSpeedMs[0], c.windSpeedMs[1])),
    windFromDeg: Math.round(rng.uniform(0, 360)) % 360,
  };
}

interface Heard {
  sensor: DemoSensor;
  paths: Path[];
  triggerS: number | null;
  distanceM: number;
  peakDb: number;
}

function listen(net: DemoNetwork, scene: Scene, air: Air, windMs: number, rng: Rng): Heard[] {
  const first = scene.emissions.find((e) => e.round) ?? scene.emissions[0]!;
  return net.sensors.map((sensor) => {
    const shieldRng = rng.fork('shield', sensor.id);
    const horizontal = Math.hypot(sensor.local.x - first.pos.x, sensor.local.y - first.pos.y);
    const shieldingDb = horizontal > 150 && shieldRng.chance(0.45) ? shieldRng.uniform(3, 14) : 0;
    const paths = scene.emissions.flatMap((e) => pathsFrom(e, scene, sensor, e.pos.z - e.heightM, { air, shieldingDb }));
    const threshold = backgroundDb(sensor.noiseDbSpl, windMs) + net.spec.trigger.snrDb;
    let triggerS: number | null = null;
    let peakDb = -Infinity;
    for (const p of paths) {
      // No shape peaks above 1.6 of its amplitude: skip the exact peak where even that stays under both marks.
      if (paToDb(1.6 * p.amplitudePa) < Math.min(threshold, peakDb)) continue;
      const db = paToDb(peakPa(p));
      peakDb = Math.max(peakDb, db);
      if (db >= threshold && (triggerS === null || p.arrivalS < triggerS)) triggerS = p.arrivalS;
    }
    const d = sensor.local;
    return { sensor, paths, triggerS, peakDb, distanceM: Math.hypot(d.x - first.pos.x, d.y - first.pos.y, d.z - first.pos.z) };
  });
}

/**
 * A cheap bound before the full path computation: no path is louder than the loudest
 * emission spread over the straight distance (directivity, absorption and shielding only
 * take away; reflections travel further), except a bullet's shock, which is left to listen().
 */
function couldReach(net: DemoNetwork, scene: Scene, windMs: number, minSensors: number): boolean {
  if (scene.emissions.some((e) => e.bullet)) return true;
  let reached = 0;
  for (const s of net.sensors) {
    const threshold = backgroundDb(s.noiseDbSpl, windMs) + net.spec.trigger.snrDb;
    const loudest = Math.max(
      ...scene.emissions.map((e) => e.levelDb + 4.1 - 20 * Math.log10(Math.max(1, Math.hypot(s.local.x - e.pos.x, s.local.y - e.pos.y, s.local.z - e.pos.z)))),
    );
    if (loudest >= threshold) reached++;
  }
  return reached >= minSensors;
}

/** Draws scenes until enough sensors trigger: first anywhere over the network, then nearer a sensor. */
function placeScene(o: PlanOptions, rng: Rng, kind: ScenarioKind, air: Air, windMs: number, minSensors: number) {
  const net = o.network;
  for (let attempt = 0; attempt < 200; attempt++) {
    const a = rng.fork('attempt', attempt);
    let x: number, y: number;
    if (attempt < 40) {
      x = a.uniform(net.area.minX, net.area.maxX);
      y = a.uniform(net.area.minY, net.area.maxY);
    } else {
      const s = a.pick(net.sensors);
      const r = a.uniform(40, 250),
        th = a.uniform(0, 2 * Math.PI);
      x = s.local.x + r * Math.sin(th);
      y = s.local.y + r * Math.cos(th);
    }
    const scene = makeScene(kind, a.fork('scene'), net, x, y, o.conditions);
    if (o.supersonic === false) for (const e of scene.emissions) e.bullet = null;
    if (!couldReach(net, scene, windMs, minSensors)) continue;
    let heard = listen(net, scene, air, windMs, a);
    if (o.conditions?.nlos) heard = blockOne(net, scene, air, windMs, a, heard, o.maxSensors);
    if (heard.filter((h) => h.triggerS !== null).length >= minSensors) return { scene, heard };
  }
  throw new Error(`no ${kind} scene reaches ${minSensors} sensors of the ${net.spec.name} network`);
}

/**
 * Puts a building between the source and one sensor among those that heard it (not the first,
 * and among the first `maxSensors`), and listens again: the scene now holds that building.
 */
function blockOne(net: DemoNetwork, scene: Scene, air: Air, windMs: number, rng: Rng, heard: Heard[], maxSensors: number | undefined): Heard[] {
  const triggered = heard
    .filter((h) => h.triggerS !== null)
    .sort((a, b) => a.triggerS! - b.triggerS!)
    .slice(1, maxSensors);
  const first = scene.emissions.find((e) => e.round) ?? scene.emissions[0]!;
  // A few tries: the building must leave the sensor still hearing the shot, round it.
  for (let attempt = 0; attempt < 6 && triggered.length > 0; attempt++) {
    const b = rng.fork('nlos', attempt);
    const target = b.pick(triggered);
    const walls = scene.walls.length;
    scene.walls.push(blockingBuilding(b, net, first.pos, target.sensor.local));
    const again = listen(net, scene, air, windMs, rng);
    const it = again.find((h) => h.sensor.id === target.sensor.id)!;
    if (it.triggerS !== null && it.paths.some((p) => p.kind === 'diffracted')) return again;
    scene.walls.length = walls;
  }
  return heard;
}

/** A GPS fix's error: Gaussian per axis, one sensor in ten four times wider (multipath off a nearby wall). */
function gpsError(rng: Rng, sigmaM: number): { x: number; y: number; z: number } {
  if (sigmaM <= 0) return { x: 0, y: 0, z: 0 };
  const s = rng.chance(0.1) ? 4 * sigmaM : sigmaM;
  return { x: rng.normal(0, s), y: rng.normal(0, s), z: rng.normal(0, 1.5 * s) };
}

export function planAlert(o: PlanOptions): AlertPlan {
  const net = o.network;
  const rng = Rng.of('earwitness-demo', o.seed, 'alert', o.index);
  const weather = drawWeather(net, rng.fork('weather'));
  const air = airFor(weather.temperatureC, weather.relativeHumidity);
  const kind = o.scenario ?? rng.fork('scenario').weighted(SCENARIO_WEIGHTS);
  const minSensors = Math.min(net.sensors.length, Math.max(3, o.minSensors ?? net.spec.trigger.minSensors));
  const { scene, heard } = placeScene(o, rng, kind, air, weather.windSpeedMs, minSensors);

  const triggered = heard.filter((h) => h.triggerS !== null).sort((a, b) => a.triggerS! - b.triggerS!);
  const kept = o.maxSensors ? triggered.slice(0, o.maxSensors) : triggered;
  const keptIds = new Set(kept.map((h) => h.sensor.id));
  const timing = rng.fork('timing');
  const gps = rng.fork('gps');
  const trig = net.spec.trigger;
  const reporting: PlannedSensor[] = kept
    .map((h) => ({
      sensor: h.sensor,
      paths: h.paths,
      triggerS: h.triggerS!,
      distanceM: h.distanceM,
      peakDb: h.peakDb,
      reportedLocal: ((e) => ({ x: h.sensor.local.x + e.x, y: h.sensor.local.y + e.y, z: h.sensor.local.z + e.z }))(
        gpsError(gps.fork(h.sensor.id), o.gpsErrorM ?? 0),
      ),
      clipStartRelUs: Math.round((h.triggerS! - timing.uniform(trig.preRollS[0], trig.preRollS[1])) * 1e6),
      sampleRate: o.sampleRate ?? h.sensor.sampleRate,
      encoding: o.encoding ?? h.sensor.encoding,
    }))
    .sort((a, b) => a.sensor.id.localeCompare(b.sensor.id));

  let needS = 0;
  for (const r of reporting) {
    const lastS = Math.max(...r.paths.map((p) => p.arrivalS + pulseLengthS(p.shape, p.riseS)));
    needS = Math.max(needS, lastS + trig.postRollS - r.clipStartRelUs / 1e6);
  }
  const durationS = o.durationS ?? Math.min(12, Math.max(4, Math.ceil(needS * 2) / 2));
  // The network raises the alert once the last clip is in and processed.
  const lastClipEndUs = Math.max(...reporting.map((r) => r.clipStartRelUs + Math.round(durationS * 1e6)));
  const detectedRelUs = lastClipEndUs + Math.round(timing.uniform(trig.processingDelayS[0], trig.processingDelayS[1]) * 1e6);
  return {
    rng,
    network: net,
    scene,
    air,
    weather,
    reporting,
    durationS,
    detectedRelUs,
    silent: heard.filter((h) => !keptIds.has(h.sensor.id)).map((h) => ({ sensor: h.sensor, distanceM: h.distanceM, peakDb: h.peakDb })),
    machine: classify(scene, rng.fork('machine')),
  };
}
