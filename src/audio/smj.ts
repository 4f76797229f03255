/**
 * The ShotSpotter `smj` vendor chunk of a sensor WAV (FORMATS.md section 2): a RIFF chunk whose
 * id begins with `smj` (`smj0`, `smjx`) holding zlib-compressed UTF-8 JSON that describes the
 * sensor, its position, the clip's start time, the weather and the microphone's calibration.
 *
 * Only the fields Earwitness uses are validated (standards/smj0.schema.json allows more), but
 * those strictly: a hostile file cannot inflate past a cap, smuggle bad UTF-8, say a key twice
 * (JSON.parse would keep the last silently), or pass a string where a number belongs. Every refusal is an SmjError with a message that says what is wrong.
 */
import { inflateSync } from 'node:zlib';
import { z } from 'zod';
import { parseIsoMicros } from '../util/time.ts';
import { describeZodIssues, isoTime, printableId } from '../util/schemas.ts';
import { parseStrictJson, StrictJsonError } from '../util/strict-json.ts';
import type { ChunkRef, WavInfo } from './wav.ts';

export class SmjError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmjError';
  }
}

/** Real smj JSON is about 1 KB; 256 KiB leaves room for vendor growth and stops a zip bomb early. */
export const SMJ_MAX_JSON_BYTES = 256 * 1024;

export interface SmjMetadata {
  chunkId: string;
  serialNumber: string;
  /** As written in the file, for display; `startUs` is the same instant in integer microseconds. */
  startTimeUTC: string;
  startUs: number;
  durationS: number;
  geolocation: { latitude: number; longitude: number; elevationM: number };
  weather: { temperatureC: number | null; relativeHumidity: number | null; windSpeedMs: number | null; windFromDeg: number | null } | null;
  transducers: { channel: number; fullScaleDbSpl: number; active: boolean }[];
}

const Id = printableId(200);
const IsoTime = isoTime('2022-09-18T05:20:54.178Z');
/** The vendor writes null for a reading it lacks (relativeHumidity in the Chicago files), whatever its schema says. */
const reading = (min: number, max: number) => z.number().min(min).max(max).nullable().optional();

const SmjSchema = z.object({
  serialNumber: Id,
  startTimeUTC: IsoTime,
  duration: z.number().gt(0).max(3600),
  geolocation: z.object({
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    elevation: z.number().min(-500).max(9000),
  }),
  weather: z
    .object({
      temperature: reading(-60, 60),
      relativeHumidity: reading(0, 100),
      speed: reading(0, 100),
      direction: reading(0, 360),
    })
    .nullable()
    .optional(),
  transducers: z
    .array(
      z.object({
        channel: z.number().int().min(0).max(31),
        fullScale: z.number().min(0).max(250),
        active: z.boolean().optional(),
      }),
    )
    .min(1)
    .max(32),
});

/** The smj chunk of a parsed WAV: null when there is none; an SmjError when there are two (which one is true?). */
export function findSmjChunk(info: WavInfo): ChunkRef | null {
  const found = info.chunks.filter((c) => c.id.startsWith('smj'));
  if (found.length > 1) {
    throw new SmjError(
      `${found.length} smj chunks (${found.map((c) => `'${c.id}' at byte ${c.offset - 8}`).join(', ')}): which one describes the clip is ambiguous`,
    );
  }
  return found[0] ?? null;
}

/** Reads and validates the smj chunk of a WAV already checked by parseWav. */
export function readSmj(bytes: Uint8Array, info: WavInfo): SmjMetadata {
  const ref = findSmjChunk(info);
  if (!ref) throw new SmjError(`no smj chunk (chunks: ${info.chunks.map((c) => `'${c.id}'`).join(', ')})`);
  return decodeSmjBody(bytes.subarray(ref.offset, ref.offset + ref.size), ref.id);
}

/** Inflates (with an output cap), decodes UTF-8 strictly, parses and validates one chunk body. */
export function decodeSmjBody(body: Uint8Array, chunkId = 'smj0'): SmjMetadata {
  const where = `'${chunkId}' chunk`;
  if (body.byteLength === 0) throw new SmjError(`the ${where} is empty`);
  let inflated: Buffer;
  try {
    const r = inflateSync(body, { maxOutputLength: SMJ_MAX_JSON_BYTES, info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    if (r.engine.bytesWritten !== body.byteLength) {
      throw new SmjError(`the ${where} holds ${body.byteLength - r.engine.bytesWritten} bytes after the end of its zlib stream`);
    }
    inflated = r.buffer;
  } catch (e) {
    if (e instanceof SmjError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new SmjError(`the ${where} inflates to more than ${SMJ_MAX_JSON_BYTES} bytes (a zip bomb?)`);
    throw new SmjError(`the ${where} is not zlib data: ${(e as Error).message}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    throw new SmjError(`the ${where} is not valid UTF-8`);
  }
  let json: unknown;
  try {
    json = parseStrictJson(text);
  } catch (e) {
    if (e instanceof StrictJsonError) throw new SmjError(`the ${where} ${e.message.slice(0, 160)}`);
    throw e;
  }
  const parsed = SmjSchema.safeParse(json);
  if (!parsed.success) throw new SmjError(`the ${where}: ${describeZodIssues(parsed.error)}`);
  const m = parsed.data;
  const w = m.weather;
  return {
    chunkId,
    serialNumber: m.serialNumber,
    startTimeUTC: m.startTimeUTC,
    startUs: parseIsoMicros(m.startTimeUTC),
    durationS: m.duration,
    geolocation: { latitude: m.geolocation.latitude, longitude: m.geolocation.longitude, elevationM: m.geolocation.elevation },
    weather: w
      ? { temperatureC: w.temperature ?? null, relativeHumidity: w.relativeHumidity ?? null, windSpeedMs: w.speed ?? null, windFromDeg: w.direction ?? null }
      : null,
    transducers: m.transducers.map((t) => ({ channel: t.channel, fullScaleDbSpl: t.fullScale, active: t.active ?? true })),
  };
}
