import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseIsoMicros } from '../util/time.ts';
import { UserError } from '../util/errors.ts';
import { isoTime, plainText, printableId } from '../util/schemas.ts';
import { parseStrictJsonBytes, StrictJsonError } from '../util/strict-json.ts';
import { checkClipSet, refuseFutureTime } from './input-checks.ts';
import { LIMITS } from './limits.ts';
import { manifestInside, readInside, resolveInside } from './safe-path.ts';
import type { AlertReader, IncomingAlert, ReadOptions } from './types.ts';

const Id = printableId(LIMITS.textLength);
const Text = plainText(LIMITS.textLength);
const IsoTime = isoTime('2026-11-20T03:14:14.500000Z');
const finite = () => z.number().finite();

const SensorBase = {
  id: Id,
  clip: z.string().min(1).max(1024),
  clipStart: IsoTime,
  channel: z.number().int().min(0).max(31).optional(),
  fullScaleDbSpl: finite().min(0).max(250).optional(),
};
const WgsSensor = z.strictObject({
  ...SensorBase,
  lat: finite().min(-90).max(90),
  lon: finite().min(-180).max(180),
  elevationM: finite().min(-500).max(9000).optional(),
});
const LocalSensor = z.strictObject({ ...SensorBase, x: finite(), y: finite(), z: finite().optional() });

const BundleSchema = z.strictObject({
  format: z.literal('acoustic-alert/1'),
  id: Id,
  source: Id,
  detectedAt: IsoTime,
  machine: z
    .strictObject({
      label: Text,
      confidence: finite().min(0).max(1).optional(),
      rounds: z.number().int().min(0).max(1000).optional(),
    })
    .optional(),
  weather: z
    .strictObject({
      temperatureC: finite().min(-60).max(60).optional(),
      relativeHumidity: finite().min(0).max(100).optional(),
      windSpeedMs: finite().min(0).max(100).optional(),
      windFromDeg: finite().min(0).max(360).optional(),
    })
    .optional(),
  coordinates: z.enum(['wgs84', 'local']),
  sensors: z.array(z.unknown()).min(1).max(LIMITS.sensorsPerAlert),
});

/** The first few issues of a failed parse as one line, each with its full path in alert.json. */
function describeIssues(error: z.ZodError, prefix: (string | number)[] = []): string {
  return error.issues
    .slice(0, 3)
    .map((i) => {
      const path = [...prefix, ...i.path].join('.');
      return `${path || '(top)'}: ${i.message}`;
    })
    .join('; ');
}

/**
 * Reads an `acoustic-alert/1` bundle folder strictly (FORMATS.md section 1): alert.json is a
 * regular file of the bundle (never a link), valid UTF-8 and JSON without a key twice; every
 * clip a regular file inside the bundle, under the limits, checked before any audio is read.
 * Reads no audio: the sensors carry where their clips are.
 */
export function readBundle(dir: string, o: ReadOptions): IncomingAlert {
  const manifest = manifestInside(dir, 'alert.json', LIMITS.metadataBytes);
  let json: unknown;
  try {
    json = parseStrictJsonBytes(readInside(manifest, 'alert.json'));
  } catch (e) {
    if (e instanceof StrictJsonError) throw new UserError('bad_file', `alert.json ${e.message}`);
    throw e;
  }
  const top = BundleSchema.safeParse(json);
  if (!top.success) throw new UserError('bad_file', `alert.json: ${describeIssues(top.error)}`);
  const a = top.data;
  const detectedUs = parseIsoMicros(a.detectedAt);
  refuseFutureTime(detectedUs, o.nowUs, 'alert.json: detectedAt');
  const sensorSchema = a.coordinates === 'wgs84' ? WgsSensor : LocalSensor;
  const seen = new Set<string>();
  const sensors = a.sensors.map((raw, i) => {
    const parsed = sensorSchema.safeParse(raw);
    if (!parsed.success) throw new UserError('bad_file', `alert.json: ${describeIssues(parsed.error, ['sensors', i])}`);
    const s = parsed.data as z.infer<typeof WgsSensor> & z.infer<typeof LocalSensor>;
    if (seen.has(s.id)) throw new UserError('bad_file', `alert.json: sensors.${i}.id: sensor ${JSON.stringify(s.id)} appears twice`);
    seen.add(s.id);
    const clipStartUs = parseIsoMicros(s.clipStart);
    refuseFutureTime(clipStartUs, o.nowUs, `alert.json: sensors.${i}.clipStart`);
    let file;
    try {
      file = resolveInside(dir, s.clip, LIMITS.clipBytes);
    } catch (e) {
      if (e instanceof UserError) throw new UserError('bad_file', `alert.json: sensors.${i}.clip: ${e.message}`);
      throw e;
    }
    return {
      sensorId: s.id,
      position:
        a.coordinates === 'wgs84'
          ? { lat: s.lat, lon: s.lon, ...(s.elevationM !== undefined ? { elevationM: s.elevationM } : {}) }
          : { x: s.x, y: s.y, ...(s.z !== undefined ? { z: s.z } : {}) },
      clip: { kind: 'file' as const, ...file },
      clipName: s.clip,
      channel: s.channel ?? 0,
      clipStartUs,
      clipStartIso: s.clipStart,
      fullScaleDbSpl: s.fullScaleDbSpl ?? null,
    };
  });
  checkClipSet(sensors.map((s, i) => ({ file: s.clip, channel: s.channel, name: s.clipName, where: `alert.json: sensors.${i}.clip`, label: `sensors.${i}` })));
  return {
    format: 'acoustic-alert/1',
    source: a.source,
    externalId: a.id,
    detectedUs,
    coordinates: a.coordinates,
    machine: a.machine ? { label: a.machine.label, confidence: a.machine.confidence ?? null, rounds: a.machine.rounds ?? null } : null,
    weather: a.weather
      ? {
          temperatureC: a.weather.temperatureC ?? null,
          relativeHumidity: a.weather.relativeHumidity ?? null,
          windSpeedMs: a.weather.windSpeedMs ?? null,
          windFromDeg: a.weather.windFromDeg ?? null,
        }
      : null,
    sensors,
  };
}

export const bundleReader: AlertReader = {
  kind: 'acoustic-alert/1 bundle',
  // lstat: an alert.json that is a link is still a bundle's, to be refused as one, not "not an alert".
  detect: (dir) => {
    try {
      lstatSync(join(dir, 'alert.json'));
      return true;
    } catch {
      return false;
    }
  },
  read: readBundle,
};
