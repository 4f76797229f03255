import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '../../src/audio/wav.ts';
import { formatIsoMicros } from '../../src/util/time.ts';

export interface WideBundleOptions {
  /** Sensor entries. */
  sensors: number;
  /** Seconds of 48 kHz 16-bit mono audio per clip (1 MiB is about 10.9 s). */
  clipSeconds: number;
  /** Channels per clip file: with n channels, n entries share one file, each on its own channel. */
  channels?: number;
  id?: string;
}

/**
 * A bundle with many sensor entries and real-sized clips, made fast: one noisy clip with an
 * impulse, written again for every file with one sample changed (so every file is a distinct
 * recording, as the importer demands) rather than synthesised anew. For measuring what an
 * import costs per entry, not for locating.
 */
export function writeWideBundle(dir: string, o: WideBundleOptions): { dir: string; clipBytes: number; files: number } {
  mkdirSync(dir, { recursive: true });
  const sr = 48_000;
  const channels = o.channels ?? 1;
  const n = Math.round(o.clipSeconds * sr);
  let seed = 7;
  const base = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const t = i / sr - o.clipSeconds / 3;
    base[i] = 0.01 * (seed / 2147483648 - 0.5) + (t >= 0 ? 0.6 * Math.exp(-t * 400) * Math.sin(2 * Math.PI * 900 * t) : 0);
  }
  const files = Math.ceil(o.sensors / channels);
  let clipBytes = 0;
  const t0 = 1_763_600_000_000_000;
  const sensors: Record<string, unknown>[] = [];
  for (let f = 0; f < files; f++) {
    const chans = Array.from({ length: channels }, (_, c) => {
      const x = base.slice();
      x[0] = (f * channels + c + 1) / 32768; // one 16-bit step apart: a recording of its own
      return x;
    });
    const bytes = encodeWav(chans, { format: 'pcm16', sampleRate: sr });
    clipBytes = bytes.length;
    const name = `clip-${String(f).padStart(3, '0')}.wav`;
    writeFileSync(join(dir, name), bytes);
    for (let c = 0; c < channels && sensors.length < o.sensors; c++) {
      const k = sensors.length;
      const ang = (2 * Math.PI * k) / o.sensors;
      sensors.push({
        id: `W-${String(k).padStart(3, '0')}`,
        lat: 38.6461 + (400 * Math.sin(ang)) / 111_320,
        lon: -121.444 + (400 * Math.cos(ang)) / 87_000,
        elevationM: 12,
        clip: name,
        ...(channels > 1 ? { channel: c } : {}),
        clipStart: formatIsoMicros(t0),
        fullScaleDbSpl: 120,
      });
    }
  }
  const alert = {
    format: 'acoustic-alert/1',
    id: o.id ?? `WIDE-${o.sensors}`,
    source: 'test-network',
    detectedAt: formatIsoMicros(t0 + 5_000_000),
    coordinates: 'wgs84',
    weather: { temperatureC: 20 },
    sensors,
  };
  writeFileSync(join(dir, 'alert.json'), JSON.stringify(alert));
  return { dir, clipBytes, files };
}
