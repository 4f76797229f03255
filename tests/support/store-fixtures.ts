/**
 * Rows for the store port's tests, made the way ingest, review and publishing make them, so
 * each query group can be exercised alone on either backend.
 */
import type { Position } from '../../src/contract/index.ts';
import type { NewAgency, NewAlert, NewPulse, NewSensor, SolutionBody, WriteTx } from '../../src/kernel/store-port.ts';

export const T0 = 1_763_600_000_000_000;

export const hex64 = (n: number): string => n.toString(16).padStart(64, '0');

export function sensor(i: number, o: { alert?: number; position?: Position; sha?: string; sampleRate?: number } = {}): NewSensor {
  const sampleRate = o.sampleRate ?? 8000;
  return {
    sensorId: `S-${i}`,
    position: o.position ?? { lat: 38.6 + i / 1000, lon: -121.4 - i / 1000, elevationM: 10 + i },
    local: { x: 100 * i, y: -50 * i, z: i === 2 ? null : 1.5 },
    clip: { sha256: o.sha ?? hex64((o.alert ?? 1) * 1000 + i), bytes: 16_044, format: 'pcm16', sampleRate, channels: 1, frames: sampleRate * 2 },
    channel: 0,
    clipStartUs: T0 + i,
    clipStartIso: '2025-11-20T00:53:20.000001Z',
    fullScaleDbSpl: i === 1 ? null : 120.5,
    peaksPerSecond: 200,
    peaks: Float32Array.from({ length: 8 }, (_, k) => (k % 2 ? -1 : 1) * (0.125 * (k + i))),
  };
}

export function pulse(sensorId: string, offsetS: number, o: Partial<NewPulse> = {}): NewPulse {
  return { sensorId, offsetS, timeUs: T0 + Math.round(offsetS * 1e6), snrDb: 20.25, peakDbfs: -3.5, peakDbSpl: null, shotIndex: 1, origin: 'machine', ...o };
}

export function newAlert(n: number, o: Partial<NewAlert> = {}): NewAlert {
  return {
    source: 'test-net',
    externalId: `A-${n}`,
    format: 'acoustic-alert/1',
    detectedUs: T0 + n * 60_000_000,
    importedUs: T0 + n * 60_000_000 + 5_000_000,
    coordinates: 'wgs84',
    localOrigin: { lat: 38.6, lon: -121.4 },
    machine: { label: 'gunfire', confidence: 0.875, rounds: 3 },
    weather: { temperatureC: 12.5, relativeHumidity: null, windSpeedMs: 3, windFromDeg: 270 },
    sensors: [1, 2, 3].map((i) => sensor(i, { alert: n })),
    pulses: [pulse('S-1', 0.5), pulse('S-2', 0.25), pulse('S-1', 0.125, { shotIndex: null, snrDb: null })],
    ...o,
  };
}

export function solutionBody(rounds = 2, position: Position = { lat: 38.61, lon: -121.41 }): SolutionBody {
  return {
    temperatureC: 12.5,
    temperatureSource: 'weather',
    speedOfSoundMs: 338.6,
    rounds,
    shots: [
      {
        index: 1,
        timeUs: T0 + 1,
        position,
        local: { x: 1.5, y: -2.25 },
        ellipse95: { semiMajorM: 12, semiMinorM: 4, azimuthDeg: 30 },
        gdop: 1.2,
        sensorsUsed: ['S-1', 'S-3'],
        residualRmsMs: 0.4,
        residualsMs: { 'S-1': 0.1, 'S-3': -0.2 },
      },
    ],
  };
}

export function newAgency(name: string, o: Partial<NewAgency> = {}): NewAgency {
  return {
    name,
    classes: ['gunfire_single', 'gunfire_multiple'],
    jurisdictionJson: '{"type":"MultiPolygon","coordinates":[[[[-122,38],[-121,38],[-121,39],[-122,38]]]]}',
    bbox: [-122, 38, -121, 39],
    sourceType: 'Polygon',
    polygons: 1,
    holes: 0,
    vertices: 4,
    endpoints: [{ url: 'https://agency.example/in', format: 'json', secret: 's3cret' }],
    createdUs: T0,
    createdBy: 'admin',
    ...o,
  };
}

/** Inserts `count` alerts (numbered from `from`); returns their ids. */
export async function seedAlerts(tx: WriteTx, count: number, from = 1, o: Partial<NewAlert> = {}): Promise<number[]> {
  const ids: number[] = [];
  for (let n = from; n < from + count; n++) ids.push(await tx.alerts.insert(newAlert(n, o)));
  return ids;
}
