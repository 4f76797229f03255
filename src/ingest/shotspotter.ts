/**
 * Sensor WAVs with an embedded `smj` chunk (FORMATS.md section 2): a folder of WAV files, one
 * per sensor, each describing itself (serial, WGS84 position with elevation, start time,
 * weather, microphone calibration) in its smj chunk.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readSmj, SmjError, type SmjMetadata } from '../audio/smj.ts';
import { parseWav, WavError, type WavInfo } from '../audio/wav.ts';
import { UserError } from '../util/errors.ts';
import { formatIsoMicros } from '../util/time.ts';
import { checkClipSet, refuseFutureTime } from './input-checks.ts';
import { LIMITS } from './limits.ts';
import { readInside, resolveInside, type InsideFile } from './safe-path.ts';
import type { AlertReader, IncomingAlert, IncomingSensor, ReadOptions } from './types.ts';

export const SHOTSPOTTER_SOURCE = 'shotspotter';
const WAV_NAME = /\.wav$/i;
/** How many WAVs and chunk headers `detect` looks at: enough for any real file, bounded for a hostile folder. */
const DETECT_MAX_FILES = 16;
const DETECT_MAX_CHUNKS = 64;

/**
 * Walks the chunk headers of a file with positioned reads (a few dozen bytes, not the audio)
 * and tells whether one has an id beginning with `smj`. Never throws.
 */
export function fileHasSmjChunk(path: string): boolean {
  let fd: number | undefined;
  try {
    const st = statSync(path);
    if (!st.isFile()) return false; // a FIFO or device would block or never end
    fd = openSync(path, 'r');
    const size = st.size;
    const head = Buffer.alloc(12);
    if (readSync(fd, head, 0, 12, 0) !== 12 || head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE') return false;
    const h = Buffer.alloc(8);
    let at = 12;
    for (let i = 0; i < DETECT_MAX_CHUNKS && at + 8 <= size; i++) {
      if (readSync(fd, h, 0, 8, at) !== 8) return false;
      if (h.toString('latin1', 0, 3) === 'smj') return true;
      const len = h.readUInt32LE(4);
      at += 8 + len + (len & 1);
    }
    return false;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function wavNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && WAV_NAME.test(e.name))
    .map((e) => e.name)
    .sort();
}

interface SensorFile {
  name: string;
  file: InsideFile;
  info: WavInfo;
  meta: SmjMetadata;
}

/** Reads one sensor file's header and smj chunk; its bytes are dropped once read (the prepare step reads the audio). */
function readSensorFile(name: string, file: InsideFile, nowUs: number): SensorFile {
  const bytes = readInside(file, name);
  try {
    const info = parseWav(bytes);
    const meta = readSmj(bytes, info);
    // The chunk describes this clip: a duration that disagrees means the metadata belongs to other audio.
    const tolerance = Math.max(0.01, 2 / info.sampleRate);
    if (Math.abs(meta.durationS - info.durationS) > tolerance) {
      throw new UserError('bad_file', `${name}: the smj chunk says ${meta.durationS} s but the audio holds ${info.durationS.toFixed(4)} s`);
    }
    refuseFutureTime(meta.startUs, nowUs, `${name}: the '${meta.chunkId}' chunk: startTimeUTC`);
    return { name, file, info, meta };
  } catch (e) {
    if (e instanceof WavError || e instanceof SmjError) throw new UserError('bad_file', `${name}: ${e.message}`);
    throw e;
  }
}

/** The microphone a clip was recorded from: the first active transducer (the first at all if none says so). */
function transducerOf(f: SensorFile): { channel: number; fullScaleDbSpl: number } {
  const t = f.meta.transducers.find((x) => x.active) ?? f.meta.transducers[0]!;
  if (t.channel >= f.info.channels) {
    throw new UserError('bad_file', `${f.name}: the smj chunk puts the microphone on channel ${t.channel}, but the file has ${f.info.channels} channel(s)`);
  }
  return t;
}

/**
 * The identity of an alert made of sensor files: which sensors, starting when. Derived from the
 * content, not the folder name, so the same files imported again (or from a copy) are recognised.
 */
export function shotspotterExternalId(files: readonly { serialNumber: string; startUs: number }[]): string {
  const keys = files.map((f) => `${f.serialNumber}@${f.startUs}`).sort();
  const earliest = Math.min(...files.map((f) => f.startUs));
  return `${formatIsoMicros(earliest)}/${createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 16)}`;
}

/** Reads a folder of smj sensor WAVs strictly. */
export function readShotspotterFolder(dir: string, o: ReadOptions): IncomingAlert {
  const names = wavNames(dir);
  if (names.length === 0) throw new UserError('bad_file', `${dir} holds no WAV files`);
  if (names.length > LIMITS.sensorsPerAlert)
    throw new UserError('bad_file', `${dir} holds ${names.length} WAV files, over the limit of ${LIMITS.sensorsPerAlert} sensors per alert`);
  // Every file checked (inside the folder, regular, under the limits, none twice) before any is read.
  const checked = names.map((n) => ({ name: n, file: resolveInside(dir, n, LIMITS.clipBytes, 'sensor file', 'folder') }));
  checkClipSet(checked.map((c) => ({ ...c, channel: 0, where: c.name, label: c.name })));
  const files = checked.map((c) => readSensorFile(c.name, c.file, o.nowUs));
  const bySerial = new Map<string, string>();
  for (const f of files) {
    const other = bySerial.get(f.meta.serialNumber);
    if (other)
      throw new UserError('bad_file', `${other} and ${f.name} both say they come from sensor ${f.meta.serialNumber}: one alert has one clip per sensor`);
    bySerial.set(f.meta.serialNumber, f.name);
  }
  files.sort((a, b) => a.meta.startUs - b.meta.startUs || a.meta.serialNumber.localeCompare(b.meta.serialNumber));
  const sensors: IncomingSensor[] = files.map((f) => {
    const t = transducerOf(f);
    return {
      sensorId: f.meta.serialNumber,
      position: { lat: f.meta.geolocation.latitude, lon: f.meta.geolocation.longitude, elevationM: f.meta.geolocation.elevationM },
      clip: { kind: 'file', ...f.file },
      clipName: f.name,
      channel: t.channel,
      clipStartUs: f.meta.startUs,
      clipStartIso: f.meta.startTimeUTC,
      fullScaleDbSpl: t.fullScaleDbSpl,
    };
  });
  // Every sensor carries the zone's weather report; the earliest clip's is the one nearest the event.
  const weather = files.find((f) => f.meta.weather)?.meta.weather ?? null;
  return {
    format: 'shotspotter-smj',
    source: SHOTSPOTTER_SOURCE,
    externalId: shotspotterExternalId(files.map((f) => f.meta)),
    // The files carry no detection time; the first sample of the earliest clip is the closest instant they give.
    detectedUs: files[0]!.meta.startUs,
    coordinates: 'wgs84',
    machine: null,
    weather,
    sensors,
  };
}

export const shotspotterReader: AlertReader = {
  kind: 'ShotSpotter sensor WAVs (smj chunk)',
  detect: (dir) => {
    try {
      return wavNames(dir)
        .slice(0, DETECT_MAX_FILES)
        .some((n) => fileHasSmjChunk(join(dir, n)));
    } catch {
      return false;
    }
  },
  read: readShotspotterFolder,
};
