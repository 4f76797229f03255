import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseIsoMicros } from '../util/time.ts';
import { UserError } from '../util/errors.ts';
import { LIMITS } from './limits.ts';
import { resolveInside, statSmallFile } from './safe-path.ts';
import type { AlertReader, IncomingAlert } from './types.ts';

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const Text = z.string().min(1).max(LIMITS.textLength).regex(/^[^\u0000-\u001f\u007f]+$/, 'no control characters');
const IsoTime = z.string().max(64).refine((s) => {
  try {
    parseIsoMicros(s);
    return true;
  } catch {
    return false;
  }
}, 'an ISO 8601 UTC time such as 2026-11-20T03:14:14.500000Z');
const finite = () => z.number().finite();

const SensorBase = {
  id: Text,
  clip: z.string().min(1).max(1024),
  clipStart: IsoTime,
  channel: z.number().int().min(0).max(31).optional(),
  fullScaleDbSpl: finite().min(0).max(250).optional(),
};
const WgsSensor = z.strictObject({ ...SensorBase, lat: finite().min(-90).max(90), lon: finite().min(-180).max(180), elevationM: finite().min(-500).max(9000).optional() });
const LocalSensor = z.strictObject({ ...SensorBase, x: finite(), y: finite(), z: finite().optional() });

const BundleSchema = z.strictObject({
  format: z.literal('acoustic-alert/1'),
  id: Text,
  source: Text,
  detectedAt: IsoTime,
  machine: z.strictObject({
    label: Text,
    confidence: finite().min(0).max(1).optional(),
    rounds: z.number().int().min(0).max(1000).optional(),
  }).optional(),
  weather: z.strictObject({
    temperatureC: finite().min(-60).max(60).optional(),
    relativeHumidity: finite().min(0).max(100).optional(),
    windSpeedMs: finite().min(0).max(100).optional(),
    windFromDeg: finite().min(0).max(360).optional(),
  }).optional(),
  coordinates: z.enum(['wgs84', 'local']),
  sensors: z.array(z.unknown()).min(1).max(LIMITS.sensorsPerAlert),
});

function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((i) => `${i.path.length ? i.path.join('.') : '(top)'}: ${i.message}`).join('; ');
}

/** Reads an `acoustic-alert/1` bundle folder strictly (FORMATS.md section 1). */
export function readBundle(dir: string): IncomingAlert {
  const file = join(dir, 'alert.json');
  statSmallFile(file, LIMITS.metadataBytes, 'alert.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError('bad_file', `alert.json is not valid JSON: ${(e as Error).message.slice(0, 120)}`);
  }
  const top = BundleSchema.safeParse(json);
  if (!top.success) throw new UserError('bad_file', `alert.json: ${describeIssues(top.error)}`);
  const a = top.data;
  const sensorSchema = a.coordinates === 'wgs84' ? WgsSensor : LocalSensor;
  const seen = new Set<string>();
  const sensors = a.sensors.map((raw, i) => {
    const parsed = sensorSchema.safeParse(raw);
    if (!parsed.success) throw new UserError('bad_file', `alert.json sensors.${i}: ${describeIssues(parsed.error)}`);
    const s = parsed.data as z.infer<typeof WgsSensor> & z.infer<typeof LocalSensor>;
    if (seen.has(s.id)) throw new UserError('bad_file', `alert.json: sensor ${JSON.stringify(s.id)} appears twice`);
    seen.add(s.id);
    const path = resolveInside(dir, s.clip, LIMITS.clipBytes);
    return {
      sensorId: s.id,
      position: a.coordinates === 'wgs84'
        ? { lat: s.lat, lon: s.lon, ...(s.elevationM !== undefined ? { elevationM: s.elevationM } : {}) }
        : { x: s.x, y: s.y, ...(s.z !== undefined ? { z: s.z } : {}) },
      clipBytes: readFileSync(path),
      clipName: s.clip,
      channel: s.channel ?? 0,
      clipStartUs: parseIsoMicros(s.clipStart),
      clipStartIso: s.clipStart,
      fullScaleDbSpl: s.fullScaleDbSpl ?? null,
    };
  });
  return {
    format: 'acoustic-alert/1',
    source: a.source,
    externalId: a.id,
    detectedUs: parseIsoMicros(a.detectedAt),
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
  detect: (dir) => existsSync(join(dir, 'alert.json')),
  read: readBundle,
};
