import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '../../audio/wav.ts';
import { isGunfire } from '../../contract/taxonomy.ts';
import { formatIsoMicros, parseIsoMicros } from '../../util/time.ts';
import type { IncomingAlert } from '../types.ts';
import type { AlertPlan } from './plan.ts';
import { paToDb, peakPa } from './propagation.ts';
import { renderClip } from './render.ts';
import { Rng } from './rng.ts';
import type { TruthAlert } from './truth.ts';

/** One demo alert ready to write or import: alert.json, its WAVs, and the truth. */
export interface GeneratedAlert {
  id: string;
  alert: AlertJson;
  clips: { name: string; bytes: Buffer }[];
  truth: TruthAlert;
}

/** alert.json of FORMATS.md section 1, WGS84. */
export interface AlertJson {
  format: 'acoustic-alert/1';
  id: string;
  source: string;
  detectedAt: string;
  machine: { label: string; confidence: number; rounds: number };
  weather: { temperatureC: number; relativeHumidity: number; windSpeedMs: number; windFromDeg: number };
  coordinates: 'wgs84';
  sensors: { id: string; lat: number; lon: number; elevationM: number; clip: string; clipStart: string; fullScaleDbSpl: number }[];
}

export interface RenderOptions {
  /** UTC of the event epoch (the first emission), integer microseconds. */
  epochUs: number;
  id: string;
  /** false: clips hold only the event's sound paths, no background (timing tests). */
  noise?: boolean;
}

/** Each sensor's fixed calibration error, within about a decibel. */
export const sensorGainDb = (source: string, sensorId: string): number => Math.max(-2, Math.min(2, Rng.of('sensor-gain', source, sensorId).normal(0, 0.7)));

const r3 = (v: number) => Math.round(v * 1000) / 1000;
const r1 = (v: number) => Math.round(v * 10) / 10;

/** Renders every clip of a plan and writes the bundle's metadata and the truth. */
export function renderAlert(plan: AlertPlan, o: RenderOptions): GeneratedAlert {
  const steps = renderAlertInSteps(plan, o);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same, pausing after each sensor's clip: the live feed yields to the event loop there,
 * so a transport never waits for a whole alert's audio.
 */
export function* renderAlertInSteps(plan: AlertPlan, o: RenderOptions): Generator<void, GeneratedAlert, void> {
  const { network: net, scene, weather } = plan;
  const clips: GeneratedAlert['clips'] = [];
  const sensors: AlertJson['sensors'] = [];
  const truthSensors: TruthAlert['sensors'] = [];
  for (const r of plan.reporting) {
    const s = r.sensor;
    const samples = renderClip({
      sampleRate: r.sampleRate,
      frames: Math.round(plan.durationS * r.sampleRate),
      clipStartRelUs: r.clipStartRelUs,
      paths: r.paths,
      reverbS: scene.reverbS,
      noise: o.noise === false ? null : { sampleRate: r.sampleRate, levelDb: s.noiseDbSpl, windMs: weather.windSpeedMs, eventChance: 0.3 },
      rng: plan.rng.fork('clip', s.id),
      fullScaleDbSpl: s.fullScaleDbSpl,
      // A sensor's calibration error belongs to the sensor, not to the alert.
      gainDb: sensorGainDb(net.spec.source, s.id),
    });
    const name = `${s.id}.wav`;
    clips.push({ name, bytes: encodeWav([samples], { format: r.encoding, sampleRate: r.sampleRate }) });
    const clipStartUs = o.epochUs + r.clipStartRelUs;
    const gps = gpsOffset(r);
    // A GPS fix off the true position is what the bundle says (to the decimetre, as fixes are reported).
    const at = gps ? net.frame.toGeo(r.reportedLocal) : null;
    sensors.push({
      id: s.id,
      lat: at ? Math.round(at.lat * 1e7) / 1e7 : s.lat,
      lon: at ? Math.round(at.lon * 1e7) / 1e7 : s.lon,
      elevationM: at ? r1(at.h) : s.elevationM,
      clip: name,
      clipStart: formatIsoMicros(clipStartUs),
      fullScaleDbSpl: s.fullScaleDbSpl,
    });
    const roundIndex = new Set(scene.emissions.filter((e) => e.round).map((e) => e.index));
    truthSensors.push({
      id: s.id,
      clipStartUs,
      sampleRate: r.sampleRate,
      encoding: r.encoding,
      distanceM: r3(r.distanceM),
      peakDbSpl: r1(r.peakDb),
      ...(gps ? { gpsErrorM: gps } : {}),
      arrivals: r.paths
        .filter((p) => roundIndex.has(p.emission) && (p.kind === 'direct' || p.kind === 'diffracted' || p.kind === 'crack'))
        .sort((a, b) => a.arrivalS - b.arrivalS)
        .map((p) => ({
          source: p.emission,
          path: p.kind as 'direct' | 'diffracted' | 'crack',
          timeUs: o.epochUs + Math.round(p.arrivalS * 1e6),
          clipOffsetS: Math.round((p.arrivalS - r.clipStartRelUs / 1e6) * 1e9) / 1e9,
          levelDbSpl: r1(paToDb(peakPa(p))),
        })),
    });
    yield;
  }
  const detectedAt = formatIsoMicros(o.epochUs + plan.detectedRelUs);
  const alert: AlertJson = {
    format: 'acoustic-alert/1',
    id: o.id,
    source: net.spec.source,
    detectedAt,
    machine: plan.machine,
    weather: {
      temperatureC: weather.reportedTemperatureC,
      relativeHumidity: weather.relativeHumidity,
      windSpeedMs: weather.windSpeedMs,
      windFromDeg: weather.windFromDeg,
    },
    coordinates: 'wgs84',
    sensors,
  };
  const truth: TruthAlert = {
    id: o.id,
    bundle: o.id,
    scenario: scene.kind,
    class: scene.class,
    gunfire: isGunfire(scene.class),
    fullyAutomatic: scene.fullyAutomatic,
    weapon: scene.weapon,
    rounds: scene.emissions.filter((e) => e.round).length,
    detectedAt,
    weather,
    speedOfSoundMs: r3(plan.air.speedOfSoundMs),
    sources: scene.emissions.map((e) => {
      const g = net.frame.toGeo(e.pos);
      const timeUs = o.epochUs + e.tUs;
      return {
        index: e.index,
        kind: e.kind,
        round: e.round,
        timeUs,
        time: formatIsoMicros(timeUs),
        position: { lat: Math.round(g.lat * 1e9) / 1e9, lon: Math.round(g.lon * 1e9) / 1e9, elevationM: Math.round(g.h * 1e4) / 1e4 },
        local: { x: r3(e.pos.x), y: r3(e.pos.y), z: r3(e.pos.z) },
        heightAboveGroundM: r3(e.heightM),
        levelDbSpl1m: r1(e.levelDb),
        supersonic: e.bullet !== null,
      };
    }),
    sensors: truthSensors,
    silentSensors: plan.silent.map((s) => ({ id: s.sensor.id, distanceM: r3(s.distanceM), peakDbSpl: r1(s.peakDb) })),
    machine: plan.machine,
  };
  return { id: o.id, alert, clips, truth };
}

/** A sensor's GPS error (reported minus true position, metres), or null where it reports its true position. */
function gpsOffset(r: AlertPlan['reporting'][number]): { x: number; y: number; z: number } | null {
  const d = { x: r.reportedLocal.x - r.sensor.local.x, y: r.reportedLocal.y - r.sensor.local.y, z: r.reportedLocal.z - r.sensor.local.z };
  return d.x === 0 && d.y === 0 && d.z === 0 ? null : { x: r3(d.x), y: r3(d.y), z: r3(d.z) };
}

/**
 * Writes the bundle as DIR/<id>/: into a hidden folder first, renamed when complete, so a
 * watched inbox never sees half of it. Refuses to replace an existing folder.
 */
export function writeBundle(outDir: string, g: GeneratedAlert): string {
  const target = join(outDir, g.id);
  const staging = join(outDir, `.${g.id}.partial`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    for (const c of g.clips) writeFileSync(join(staging, c.name), c.bytes);
    writeFileSync(join(staging, 'alert.json'), `${JSON.stringify(g.alert, null, 2)}\n`);
    mkdirSync(outDir, { recursive: true });
    renameSync(staging, target);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  return target;
}

/** The same alert as the bundle reader would hand it to the importer, without touching the disk. */
export function toIncoming(g: GeneratedAlert): IncomingAlert {
  const a = g.alert;
  const bytes = new Map(g.clips.map((c) => [c.name, c.bytes]));
  return {
    format: a.format,
    source: a.source,
    externalId: a.id,
    detectedUs: parseIsoMicros(a.detectedAt),
    coordinates: 'wgs84',
    machine: { ...a.machine },
    weather: { ...a.weather },
    sensors: a.sensors.map((s) => ({
      sensorId: s.id,
      position: { lat: s.lat, lon: s.lon, elevationM: s.elevationM },
      clip: { kind: 'bytes' as const, bytes: bytes.get(s.clip)! },
      clipName: s.clip,
      channel: 0,
      clipStartUs: parseIsoMicros(s.clipStart),
      clipStartIso: s.clipStart,
      fullScaleDbSpl: s.fullScaleDbSpl,
    })),
  };
}
