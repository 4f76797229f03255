import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav, type SampleFormat } from '../../src/audio/wav.ts';
import { formatIsoMicros } from '../../src/util/time.ts';

export interface SimpleBundleOptions {
  id?: string;
  source?: string;
  sensors?: number;
  sampleRate?: number;
  durationS?: number;
  format?: SampleFormat;
  coordinates?: 'wgs84' | 'local';
  /** UTC of the first sample of every clip, µs (default a fixed time in 2025, for reproducible tests). */
  startUs?: number;
  /** Emission times of the shots, seconds after the clip start (default one shot at 0.6 s). */
  shotsS?: number[];
  /** Where the source is, metres east and north of the ring's centre (default 35 E, 20 S). */
  sourceAt?: { x: number; y: number };
  /** Radius of the sensor ring in metres (default 400). */
  ringM?: number;
  /** Give each sensor its own clip, starting this many seconds before its first arrival (as sensors that trigger on their own do). */
  clipLeadS?: number;
  /** Scale each arrival by 1/distance (spherical spreading) instead of the same level everywhere. */
  spreading?: boolean;
  /** Override or break fields of alert.json. */
  mutate?: (alert: Record<string, unknown>) => void;
}

/**
 * A small, physically plausible acoustic-alert/1 bundle: sensors on a ring of 400 m, one
 * impulsive source near the middle, arrivals delayed by distance / 343 m/s, light noise.
 * For tests that need a valid bundle; the demo generator makes realistic ones.
 */
export function writeSimpleBundle(dir: string, o: SimpleBundleOptions = {}): { dir: string; alert: Record<string, unknown> } {
  const sensors = o.sensors ?? 4;
  const sr = o.sampleRate ?? 16000;
  const dur = o.durationS ?? 2;
  const t0 = o.startUs ?? 1_763_600_000_000_000; // µs
  const src = o.sourceAt ?? { x: 35, y: -20 };
  const ring = o.ringM ?? 400;
  const c = 343;
  const shotsS = o.shotsS ?? [0.6];
  const emitUs = t0 + Math.round(shotsS[0]! * 1e6);
  mkdirSync(dir, { recursive: true });
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  const list = [];
  for (let i = 0; i < sensors; i++) {
    const ang = (2 * Math.PI * i) / sensors;
    const x = ring * Math.cos(ang), y = ring * Math.sin(ang);
    const distance = Math.hypot(x - src.x, y - src.y);
    const level = o.spreading ? Math.min(0.9, 0.6 * (150 / Math.max(distance, 1))) : 0.6;
    // Seconds after this sensor's first sample; clips all start at t0 unless clipLeadS staggers them.
    const clipOffsetS = o.clipLeadS === undefined ? 0 : Math.max(0, Math.round((shotsS[0]! + distance / c - o.clipLeadS) * 1000) / 1000);
    const arrivals = shotsS.map((s) => s + distance / c - clipOffsetS);
    const samples = new Float32Array(Math.round(sr * dur));
    for (let n = 0; n < samples.length; n++) {
      let v = 0.002 * rand();
      for (const arrival of arrivals) {
        const t = n / sr - arrival;
        if (t >= 0) v += level * Math.exp(-t * 400) * Math.sin(2 * Math.PI * 900 * t);
      }
      samples[n] = v;
    }
    const name = `S-${String(i + 1).padStart(3, '0')}.wav`;
    writeFileSync(join(dir, name), encodeWav([samples], { format: o.format ?? 'pcm16', sampleRate: sr }));
    const geo = { lat: 38.6461 + y / 111_320, lon: -121.444 + x / (111_320 * Math.cos((38.6461 * Math.PI) / 180)) };
    list.push({
      id: `S-${String(i + 1).padStart(3, '0')}`,
      ...(o.coordinates === 'local' ? { x, y } : { lat: geo.lat, lon: geo.lon, elevationM: 12 }),
      clip: name,
      clipStart: formatIsoMicros(t0 + Math.round(clipOffsetS * 1e6)),
      fullScaleDbSpl: 120,
    });
  }
  const alert: Record<string, unknown> = {
    format: 'acoustic-alert/1',
    id: o.id ?? 'TEST-0001',
    source: o.source ?? 'test-network',
    detectedAt: formatIsoMicros(emitUs + 1_500_000),
    machine: { label: 'gunshot', confidence: 0.9, rounds: 1 },
    weather: { temperatureC: 20 },
    coordinates: o.coordinates ?? 'wgs84',
    sensors: list,
  };
  o.mutate?.(alert);
  writeFileSync(join(dir, 'alert.json'), JSON.stringify(alert, null, 2));
  return { dir, alert };
}
