import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LocalFrame } from '../../locate/geodesy.ts';
import { UserError } from '../../util/errors.ts';
// Imported, not read from disk, so the Electron bundle carries the default network with it.
import defaultNetworkJson from '../../../resources/demo-network.json' with { type: 'json' };

/**
 * The demo sensor network: a fictional city's sensors (WGS84, elevations, sample rates,
 * encodings, calibration, noise, the building facades beside each sensor) and the terrain
 * its sources stand on. resources/demo-network.json holds the default; `earwitness demo
 * --network FILE` takes another of the same shape.
 */

const Deg = (lo: number, hi: number) => z.number().finite().min(lo).max(hi);
const Range = z.tuple([z.number().finite(), z.number().finite()]).refine(([a, b]) => a <= b, 'a [low, high] pair');

const FacadeSpec = z.strictObject({
  /** Direction from the sensor to the wall, degrees clockwise from north. */
  azimuthDeg: Deg(0, 360),
  distanceM: z.number().min(1).max(500),
  /** Pressure reflection coefficient of the wall (brick and glass 0.6-0.9, trees 0.1). */
  reflection: z.number().min(0).max(1),
});

const SensorSpec = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash, underscore'),
  lat: Deg(-90, 90),
  lon: Deg(-180, 180),
  /** Height of the microphone above the ellipsoid, metres. */
  elevationM: z.number().finite().min(-500).max(9000),
  /** Height of the microphone above the ground under it. */
  mastM: z.number().min(0).max(300),
  mount: z.enum(['rooftop', 'pole', 'wall']),
  sampleRate: z.number().int().min(8000).max(192000),
  encoding: z.enum(['pcm16', 'pcm24', 'float32']),
  /** Peak sound pressure level of digital full scale. */
  fullScaleDbSpl: z.number().min(90).max(180),
  /** RMS level of the street noise where the sensor stands. */
  noiseDbSpl: z.number().min(20).max(90),
  facades: z.array(FacadeSpec).max(8),
});

/**
 * Every simulated network's source starts with this: its alerts sit at real coordinates, so the
 * name is what keeps them from ever being published to police as live (src/publish/source-status.ts).
 */
export const SIMULATED_SOURCE_PREFIX = 'demo-';

const NetworkSpec = z.strictObject({
  format: z.literal('earwitness-demo-network/1'),
  name: z.string().min(1).max(200),
  /** The `source` of every alert the network sends (FORMATS.md section 1). */
  source: z
    .string()
    .min(1)
    .max(100)
    .refine(
      (s) => s.startsWith(SIMULATED_SOURCE_PREFIX),
      `a simulated network's source starts with "${SIMULATED_SOURCE_PREFIX}", so its alerts can never be published as live`,
    ),
  /** Prefix of alert ids. */
  idPrefix: z
    .string()
    .min(1)
    .max(20)
    .regex(/^[A-Za-z0-9-]+$/),
  description: z.string().max(2000).optional(),
  terrain: z.strictObject({
    origin: z.strictObject({ lat: Deg(-90, 90), lon: Deg(-180, 180) }),
    baseElevationM: z.number().finite(),
    slopeEastPerKm: z.number().finite(),
    slopeNorthPerKm: z.number().finite(),
    hills: z.array(z.strictObject({ lat: Deg(-90, 90), lon: Deg(-180, 180), heightM: z.number().finite(), radiusM: z.number().positive() })).max(20),
  }),
  climate: z.strictObject({
    temperatureC: z.strictObject({ mean: z.number().min(-40).max(45), sd: z.number().min(0).max(20), min: z.number().min(-50), max: z.number().max(55) }),
    relativeHumidity: Range,
    windSpeedMs: Range,
  }),
  trigger: z.strictObject({
    /** A sensor reports when an arrival's peak stands this far over its noise RMS. */
    snrDb: z.number().min(0).max(80),
    preRollS: Range,
    postRollS: z.number().min(0).max(10),
    minSensors: z.number().int().min(1).max(64),
    /** Seconds from the last trigger to the network's detection time. */
    processingDelayS: Range,
  }),
  sensors: z.array(SensorSpec).min(3).max(64),
});

export type NetworkSpec = z.infer<typeof NetworkSpec>;
export type SensorSpec = z.infer<typeof SensorSpec>;

export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

export interface DemoSensor extends SensorSpec {
  /** Microphone in the network's east-north-up frame. */
  local: Vec3;
  /** Ground height under the microphone, in the same frame. */
  groundZ: number;
}

export interface DemoNetwork {
  spec: NetworkSpec;
  frame: LocalFrame;
  sensors: DemoSensor[];
  /** Ground height (frame z) at a local east/north point. */
  groundAt(x: number, y: number): number;
  /** Where sources may be: the sensors' bounding box, widened by a margin. */
  area: { minX: number; maxX: number; minY: number; maxY: number };
}

export function buildNetwork(spec: NetworkSpec): DemoNetwork {
  const ids = new Set<string>();
  for (const s of spec.sensors) {
    if (ids.has(s.id)) throw new UserError('bad_file', `demo network: sensor ${s.id} appears twice`);
    ids.add(s.id);
  }
  const frame = LocalFrame.around(spec.sensors);
  const t = spec.terrain;
  const o = frame.toLocal({ ...t.origin, h: t.baseElevationM });
  const hills = t.hills.map((h) => ({ ...frame.toLocal({ lat: h.lat, lon: h.lon, h: 0 }), heightM: h.heightM, radiusM: h.radiusM }));
  const groundAt = (x: number, y: number): number => {
    let z = o.z + (t.slopeEastPerKm * (x - o.x) + t.slopeNorthPerKm * (y - o.y)) / 1000;
    for (const h of hills) z += h.heightM * Math.exp(-((x - h.x) ** 2 + (y - h.y) ** 2) / (2 * h.radiusM ** 2));
    return z;
  };
  const sensors = spec.sensors.map((s) => {
    const local = frame.toLocal({ lat: s.lat, lon: s.lon, h: s.elevationM });
    return { ...s, local, groundZ: local.z - s.mastM };
  });
  const margin = 250;
  const area = {
    minX: Math.min(...sensors.map((s) => s.local.x)) - margin,
    maxX: Math.max(...sensors.map((s) => s.local.x)) + margin,
    minY: Math.min(...sensors.map((s) => s.local.y)) - margin,
    maxY: Math.max(...sensors.map((s) => s.local.y)) + margin,
  };
  return { spec, frame, sensors, groundAt, area };
}

export function parseNetwork(json: unknown, what = 'demo network'): DemoNetwork {
  const parsed = NetworkSpec.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`)
      .join('; ');
    throw new UserError('bad_file', `${what}: ${issues}`);
  }
  return buildNetwork(parsed.data);
}

export function loadNetworkFile(path: string): DemoNetwork {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UserError('bad_file', `${path}: ${(e as Error).message.slice(0, 160)}`);
  }
  return parseNetwork(json, path);
}

let cached: DemoNetwork | undefined;
/** The network in resources/demo-network.json. */
export function defaultNetwork(): DemoNetwork {
  cached ??= parseNetwork(defaultNetworkJson, 'resources/demo-network.json');
  return cached;
}
