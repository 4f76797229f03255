import type { Position } from '../contract/index.ts';
import { computePeaks } from '../audio/peaks.ts';
import { pickPulses } from '../audio/pulses/pick.ts';
import { releaseBuffers } from '../util/release.ts';
import { decodeChannel, parseWav, WavError, type WavInfo } from '../audio/wav.ts';
import { LocalFrame } from '../locate/geodesy.ts';
import { locateFromPicks, type LocateOutput, type RejectedCandidate, type SensorPicks } from '../locate/index.ts';
import type { NewAlert, NewPulse, NewSensor, SolutionBody } from '../store/alerts.ts';
import type { RejectedCandidate as StoredCandidate } from '../contract/index.ts';
import { ClipStore } from '../store/clip-store.ts';
import { UserError } from '../util/errors.ts';
import { LIMITS } from './limits.ts';
import { readInside } from './safe-path.ts';
import type { ClipSource, IncomingAlert, IncomingSensor } from './types.ts';

/** One distinct clip of a prepared alert: its hash and where the commit step copies it from. */
export interface PreparedClip {
  sha256: string;
  bytes: number;
  source: ClipSource;
  /** For messages: the name the input gave it. */
  name: string;
}

/** What the audio work cost, so tests and benches can see that it does not grow with the entries. */
export interface PrepareStats {
  /** Clip files (or in-memory clips) read: each distinct one once. */
  clipsRead: number;
  /** Channels decoded: each (clip, channel) once. */
  decodes: number;
  /** The most audio held at one moment: one clip's bytes and one channel's samples. */
  peakAudioBytes: number;
}

/** Plain data (structured-clone safe): it crosses from the worker that prepares to the thread that commits. */
export interface PreparedAlert {
  alert: NewAlert;
  clips: PreparedClip[];
  /** The machine solution derived from the audio, or null when no shot could be located. */
  solution: SolutionBody | null;
  located: LocateOutput;
  stats: PrepareStats;
}

export interface PrepareOptions {
  defaultTemperatureC: number;
  nowUs: number;
  /**
   * The source's sensors the store knows to be alive around the alert's time (WGS84, plain data:
   * these options cross to a worker thread). The locator weighs their silence; ignored for an
   * alert in local coordinates, which shares no frame with them.
   */
  knownSensors?: readonly { sensorId: string; lat: number; lon: number }[];
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

/** A candidate the locator set aside, as stored: positions in the alert's coordinates, picks' times in microseconds UTC. */
function rejectedBody(r: RejectedCandidate, frame: LocalFrame | null, timeOf: (sensorId: string, offsetS: number) => number): StoredCandidate {
  const place = (local: { x: number; y: number }) => ({ position: toPosition(frame, local), local });
  if (r.kind === 'on-line')
    return {
      kind: r.kind,
      from: r.from,
      through: r.through,
      ...place(r.local),
      line: { from: place(r.line.from), to: place(r.line.to) },
      rounds: r.rounds,
      timeUs: r.timeUs,
      picks: r.picks.map((p) => ({ sensorId: p.sensorId, timeUs: timeOf(p.sensorId, p.offsetS), round: p.round })),
      reason: r.reason,
    };
  return {
    kind: r.kind,
    of: r.of,
    ...place(r.local),
    timeUs: r.timeUs,
    reason: r.reason,
    picks: r.picks.map((p) => ({ sensorId: p.sensorId, timeUs: timeOf(p.sensorId, p.offsetS), ...(p.arrivalOf ? { arrivalOf: p.arrivalOf } : {}) })),
  };
}

/** The sensors of an alert grouped by the clip they name (a multi-channel file serves several), in first-named order. */
function byClip(sensors: readonly IncomingSensor[]): { source: ClipSource; name: string; sensors: number[] }[] {
  const groups = new Map<unknown, { source: ClipSource; name: string; sensors: number[] }>();
  sensors.forEach((s, i) => {
    const key = s.clip.kind === 'file' ? `${s.clip.dev}:${s.clip.ino}` : s.clip.bytes;
    const g = groups.get(key);
    if (g) g.sensors.push(i);
    else groups.set(key, { source: s.clip, name: s.clipName, sensors: [i] });
  });
  return [...groups.values()];
}

/** A clip's bytes, read once (a file is checked to be the one the reader found). */
export function loadClip(source: ClipSource, name: string): Uint8Array {
  return source.kind === 'bytes' ? source.bytes : readInside(source, name);
}

/**
 * Audio work for one alert, with no side effects: validate and decode every clip, hash it,
 * compute peaks, pick and locate. Throws UserError('bad_file') naming the clip at fault.
 *
 * Memory stays that of one clip, however many sensors: each distinct clip is read once, each
 * channel decoded once and let go as soon as its peaks and picks are taken; locating works on
 * the picks (its second look at a burst's lost rounds reads a clip again, one at a time).
 */
export function prepareAlert(incoming: IncomingAlert, o: PrepareOptions): PreparedAlert {
  const frame = frameFor(incoming);
  const clips: PreparedClip[] = [];
  const sensors: (NewSensor | undefined)[] = new Array(incoming.sensors.length);
  const picked: (SensorPicks | undefined)[] = new Array(incoming.sensors.length);
  const stats: PrepareStats = { clipsRead: 0, decodes: 0, peakAudioBytes: 0 };
  const heardBy = new Map<string, string>();
  for (const group of byClip(incoming.sensors)) {
    // Block-scoped: this clip's bytes are let go when its sensors are done, before the next is read.
    const bytes = loadClip(group.source, group.name);
    stats.clipsRead++;
    let info: WavInfo;
    try {
      info = parseWav(bytes);
      if (info.frames > LIMITS.clipFrames) throw new WavError(`${info.frames} samples per channel is over the limit of ${LIMITS.clipFrames}`);
    } catch (e) {
      if (e instanceof WavError) throw new UserError('bad_file', `${group.name}: ${e.message}`);
      throw e;
    }
    const sha256 = ClipStore.hash(bytes);
    clips.push({ sha256, bytes: bytes.byteLength, source: group.source, name: group.name });
    for (const i of group.sensors) {
      const s = incoming.sensors[i]!;
      // Two files with the same bytes are one recording under two names (a copy, not a link).
      const heard = heardBy.get(`${sha256}#${s.channel}`);
      if (heard !== undefined)
        throw new UserError(
          'bad_file',
          `${s.clipName}: channel ${s.channel} holds the very audio of ${heard}; two sensors cannot have recorded the same audio`,
        );
      heardBy.set(`${sha256}#${s.channel}`, `${s.clipName} channel ${s.channel}`);
      let samples: Float32Array;
      try {
        samples = decodeChannel(bytes, info, s.channel);
      } catch (e) {
        if (e instanceof WavError) throw new UserError('bad_file', `${s.clipName}: ${e.message}`);
        throw e;
      }
      stats.decodes++;
      stats.peakAudioBytes = Math.max(stats.peakAudioBytes, bytes.byteLength + samples.byteLength);
      const peaks = computePeaks(samples, info.sampleRate);
      const local = toLocal(frame, s.position);
      sensors[i] = {
        sensorId: s.sensorId,
        position: s.position,
        local,
        clip: { sha256, bytes: bytes.byteLength, format: info.format, sampleRate: info.sampleRate, channels: info.channels, frames: info.frames },
        channel: s.channel,
        clipStartUs: s.clipStartUs,
        clipStartIso: s.clipStartIso,
        fullScaleDbSpl: s.fullScaleDbSpl,
        peaksPerSecond: peaks.peaksPerSecond,
        peaks: peaks.data,
      };
      picked[i] = {
        sensorId: s.sensorId,
        local,
        clipStartUs: s.clipStartUs,
        fullScaleDbSpl: s.fullScaleDbSpl,
        durationS: samples.length / info.sampleRate,
        picks: pickPulses(samples, info.sampleRate),
        audio: rereader(group, s.channel, info, sha256),
      };
      releaseBuffers(samples);
    }
    // Bytes read here are this loop's alone; bytes an in-memory source gave are the caller's.
    if (group.source.kind === 'file') releaseBuffers(bytes);
  }
  const knownSensors = frame
    ? (o.knownSensors ?? []).map((k) => {
        const e = frame.toLocal({ lat: k.lat, lon: k.lon, h: 0 });
        return { sensorId: k.sensorId, local: { x: e.x, y: e.y } };
      })
    : [];
  const located = locateFromPicks(picked as SensorPicks[], {
    temperatureC: incoming.weather?.temperatureC ?? null,
    defaultTemperatureC: o.defaultTemperatureC,
    knownSensors,
  });
  const startOf = new Map(incoming.sensors.map((s) => [s.sensorId, s.clipStartUs]));
  const pulses: NewPulse[] = located.pulses.map((p) => ({
    sensorId: p.sensorId,
    offsetS: p.offsetS,
    timeUs: startOf.get(p.sensorId)! + Math.round(p.offsetS * 1e6),
    snrDb: p.snrDb,
    peakDbfs: p.peakDbfs,
    peakDbSpl: p.peakDbSpl,
    shotIndex: p.shotIndex,
    origin: 'machine',
  }));
  const solution: SolutionBody | null =
    located.shots.length === 0 && located.rounds === 0
      ? null
      : {
          temperatureC: located.temperatureC,
          temperatureSource: located.temperatureSource,
          speedOfSoundMs: located.speedOfSoundMs,
          rounds: located.rounds,
          shots: located.shots.map(({ alternative, setAside, ...shot }) => ({
            ...shot,
            position: toPosition(frame, shot.local),
            ...(alternative ? { alternative: { ...alternative, position: toPosition(frame, alternative.local) } } : {}),
            ...(setAside ? { setAside: { ...setAside, position: toPosition(frame, setAside.local) } } : {}),
          })),
          // What the locator set aside (echoes of its shots, rounds it could not place), for the reviewer to see.
          ...(located.rejected?.length
            ? { rejected: located.rejected.map((r) => rejectedBody(r, frame, (sensorId, offsetS) => startOf.get(sensorId)! + Math.round(offsetS * 1e6))) }
            : {}),
        };
  return {
    alert: {
      source: incoming.source,
      externalId: incoming.externalId,
      format: incoming.format,
      detectedUs: incoming.detectedUs,
      importedUs: o.nowUs,
      coordinates: incoming.coordinates,
      localOrigin: frame?.origin ?? null,
      machine: incoming.machine,
      weather: incoming.weather,
      sensors: sensors as NewSensor[],
      pulses,
    },
    clips,
    solution,
    located,
    stats,
  };
}

/**
 * A clip's channel read once more, for the locator's second look at a burst (SensorPicks.audio):
 * rare, and one clip at a time like the first pass. The bytes must be the ones hashed the first
 * time: a file changed in between is refused, not located from audio that is not the stored clip.
 */
function rereader(group: { source: ClipSource; name: string }, channel: number, info: WavInfo, sha256: string) {
  return () => {
    const bytes = loadClip(group.source, group.name);
    if (ClipStore.hash(bytes) !== sha256) throw new UserError('bad_file', `${group.name} changed while it was being read; nothing was stored`);
    return { samples: decodeChannel(bytes, info, channel), sampleRate: info.sampleRate };
  };
}
