import type { Position } from '../contract/index.ts';
import { computePeaks } from '../audio/peaks.ts';
import { decodeChannel, parseWav, WavError } from '../audio/wav.ts';
import { LocalFrame } from '../locate/geodesy.ts';
import { locateFromAudio, type LocateOutput, type SensorAudio } from '../locate/index.ts';
import type { NewAlert, NewPulse, NewSensor, SolutionBody } from '../store/alerts.ts';
import { ClipStore } from '../store/clip-store.ts';
import { UserError } from '../util/errors.ts';
import type { IncomingAlert } from './types.ts';

export interface PreparedAlert {
  alert: NewAlert;
  clips: { sha256: string; bytes: Buffer }[];
  /** The machine solution derived from the audio, or null when no shot could be located. */
  solution: SolutionBody | null;
  located: LocateOutput;
}

export interface PrepareOptions {
  defaultTemperatureC: number;
  nowUs: number;
}

/** The frame every distance of an alert is measured in: a tangent plane for WGS84, the given frame for local data. */
export function frameFor(incoming: IncomingAlert): LocalFrame | null {
  if (incoming.coordinates === 'local') return null;
  return LocalFrame.around(incoming.sensors.map((s) => s.position as { lat: number; lon: number }));
}

function toLocal(frame: LocalFrame | null, p: Position): { x: number; y: number; z: number | null } {
  if ('lat' in p) {
    const e = frame!.toLocal({ lat: p.lat, lon: p.lon, h: p.elevationM ?? 0 });
    return { x: e.x, y: e.y, z: p.elevationM === undefined ? null : e.z };
  }
  return { x: p.x, y: p.y, z: p.z ?? null };
}

function toPosition(frame: LocalFrame | null, local: { x: number; y: number }): Position {
  if (!frame) return { x: local.x, y: local.y };
  const g = frame.toGeo({ x: local.x, y: local.y, z: 0 });
  return { lat: g.lat, lon: g.lon };
}

/**
 * Audio work for one alert, with no side effects: validate and decode every clip, hash it,
 * compute peaks, pick and locate. Throws UserError('bad_file') naming the clip at fault.
 */
export function prepareAlert(incoming: IncomingAlert, o: PrepareOptions): PreparedAlert {
  const frame = frameFor(incoming);
  const clips: PreparedAlert['clips'] = [];
  const sensors: NewSensor[] = [];
  const audio: SensorAudio[] = [];
  for (const s of incoming.sensors) {
    let info, samples;
    try {
      info = parseWav(s.clipBytes);
      samples = decodeChannel(s.clipBytes, info, s.channel);
    } catch (e) {
      if (e instanceof WavError) throw new UserError('bad_file', `${s.clipName}: ${e.message}`);
      throw e;
    }
    const sha256 = ClipStore.hash(s.clipBytes);
    clips.push({ sha256, bytes: s.clipBytes });
    const peaks = computePeaks(samples, info.sampleRate);
    const local = toLocal(frame, s.position);
    sensors.push({
      sensorId: s.sensorId, position: s.position, local,
      clip: { sha256, bytes: s.clipBytes.byteLength, format: info.format, sampleRate: info.sampleRate, channels: info.channels, frames: info.frames },
      channel: s.channel, clipStartUs: s.clipStartUs, clipStartIso: s.clipStartIso, fullScaleDbSpl: s.fullScaleDbSpl,
      peaksPerSecond: peaks.peaksPerSecond, peaks: peaks.data,
    });
    audio.push({ sensorId: s.sensorId, local, clipStartUs: s.clipStartUs, sampleRate: info.sampleRate, samples, fullScaleDbSpl: s.fullScaleDbSpl });
  }
  const located = locateFromAudio(audio, { temperatureC: incoming.weather?.temperatureC ?? null, defaultTemperatureC: o.defaultTemperatureC });
  const startOf = new Map(incoming.sensors.map((s) => [s.sensorId, s.clipStartUs]));
  const pulses: NewPulse[] = located.pulses.map((p) => ({
    sensorId: p.sensorId, offsetS: p.offsetS, timeUs: startOf.get(p.sensorId)! + Math.round(p.offsetS * 1e6),
    snrDb: p.snrDb, peakDbfs: p.peakDbfs, peakDbSpl: p.peakDbSpl, shotIndex: p.shotIndex, origin: 'machine',
  }));
  const solution: SolutionBody | null = located.shots.length === 0 && located.rounds === 0 ? null : {
    temperatureC: located.temperatureC,
    temperatureSource: located.temperatureSource,
    speedOfSoundMs: located.speedOfSoundMs,
    rounds: located.rounds,
    shots: located.shots.map(({ alternative, ...shot }) => ({
      ...shot,
      position: toPosition(frame, shot.local),
      ...(alternative ? { alternative: { ...alternative, position: toPosition(frame, alternative.local) } } : {}),
    })),
    // What the locator set aside (echoes of its shots), for the reviewer to see on the tracks.
    ...(located.rejected?.length ? {
      rejected: located.rejected.map((r) => ({
        kind: r.kind, of: r.of, position: toPosition(frame, r.local), local: r.local, timeUs: r.timeUs, reason: r.reason,
        picks: r.picks.map((p) => ({ sensorId: p.sensorId, timeUs: startOf.get(p.sensorId)! + Math.round(p.offsetS * 1e6), ...(p.arrivalOf ? { arrivalOf: p.arrivalOf } : {}) })),
      })),
    } : {}),
  };
  return {
    alert: {
      source: incoming.source, externalId: incoming.externalId, format: incoming.format, detectedUs: incoming.detectedUs,
      importedUs: o.nowUs, coordinates: incoming.coordinates, localOrigin: frame?.origin ?? null, machine: incoming.machine,
      weather: incoming.weather, sensors, pulses,
    },
    clips,
    solution,
    located,
  };
}
