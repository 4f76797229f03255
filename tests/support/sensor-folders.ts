/**
 * Generated sensor folders in the two real-world layouts (smj sensor WAVs, research test
 * folders), physically consistent (one impulse, arrivals delayed by distance / c), so a test can
 * import them, break one file, and know what the reader must say.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '../../src/audio/wav.ts';
import { formatIsoMicros } from '../../src/util/time.ts';
import { smjBody, smjDoc } from './smj.ts';

const C = 343;
const T0_US = 1_663_478_453_332_000; // 2022-09-18T05:20:53.332Z

/** An impulse arriving `arrivalS` into a clip, over light deterministic noise. */
export function impulseClip(sampleRate: number, durationS: number, arrivalS: number, seed = 1): Float32Array {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  const x = new Float32Array(Math.round(sampleRate * durationS));
  for (let n = 0; n < x.length; n++) {
    const t = n / sampleRate - arrivalS;
    x[n] = 0.002 * rand() + (t >= 0 ? 0.6 * Math.exp(-t * 400) * Math.sin(2 * Math.PI * 900 * t) : 0);
  }
  return x;
}

export interface SmjSensorSpec {
  serial: string;
  file: string;
  lat: number;
  lon: number;
  elevation: number;
  startUs: number;
  startIso: string;
  samples: Float32Array;
}

/**
 * Writes `n` ShotSpotter-style sensor WAVs (12 kHz, 16-bit, 2 s, smj0 after the data) around a
 * Chicago corner. `doc` changes the smj document of sensor i; `chunks` replaces its chunk list.
 */
export function writeSmjFolder(
  dir: string,
  o: {
    sensors?: number;
    doc?: (i: number, d: Record<string, unknown>) => void;
    chunks?: (i: number, body: Buffer) => { id?: string; body: Uint8Array }[];
  } = {},
): SmjSensorSpec[] {
  mkdirSync(dir, { recursive: true });
  const n = o.sensors ?? 4;
  const sr = 12000;
  const origin = { lat: 41.6955, lon: -87.63 };
  const mPerDegLon = 111_320 * Math.cos((origin.lat * Math.PI) / 180);
  const src = { x: 40, y: -25 };
  const emitUs = T0_US + 900_000;
  const specs: SmjSensorSpec[] = [];
  for (let i = 0; i < n; i++) {
    const ang = (2 * Math.PI * i) / n;
    const x = 350 * Math.cos(ang),
      y = 350 * Math.sin(ang);
    const startUs = T0_US + 41 + i * 123_457; // clips start at different instants, to the microsecond
    const arrivalS = (emitUs - startUs) / 1e6 + Math.hypot(x - src.x, y - src.y) / C;
    const serial = `SCP-00-TST-${String(1000 + i)}`;
    const spec: SmjSensorSpec = {
      serial,
      file: `${(0xabc000 + i * 7919).toString(16)}.wav`,
      lat: origin.lat + y / 111_320,
      lon: origin.lon + x / mPerDegLon,
      elevation: 190 + i,
      startUs,
      startIso: formatIsoMicros(startUs),
      samples: impulseClip(sr, 2, arrivalS, i + 1),
    };
    const doc = smjDoc({
      serialNumber: serial,
      friendlyName: serial,
      startTimeUTC: spec.startIso,
      duration: 2.0,
      geolocation: { latitude: spec.lat, longitude: spec.lon, elevation: spec.elevation },
      weather: { medium: 'air', temperature: 25.0, relativeHumidity: null, speed: 6.7, direction: 210.0 },
      transducers: [{ name: 'Microphone (SCP Standard)', channel: 0, fullScale: 93.09, noise: 0, active: true }],
    });
    o.doc?.(i, doc);
    const body = smjBody(doc);
    const chunks = o.chunks ? o.chunks(i, body) : [{ id: 'smj0', body }];
    writeFileSync(
      join(dir, spec.file),
      encodeWav([spec.samples], { format: 'pcm16', sampleRate: sr, extraChunks: chunks.map((c) => ({ id: c.id ?? 'smj0', body: c.body })) }),
    );
    specs.push(spec);
  }
  return specs;
}

export interface ResearchSensorSpec {
  serial: string;
  x: number;
  y: number;
  z: number;
  timestamp: string;
}

/**
 * Writes a research test folder (12 kHz 16-bit 3 s WAVs, sidecars in local metres, weather), plus
 * decoy ground-truth files whose content would mislead a locator that read them.
 */
export function writeResearchTest(
  dir: string,
  o: { test?: string; sensors?: number; weather?: unknown; sidecar?: (i: number, d: Record<string, unknown>) => void } = {},
): ResearchSensorSpec[] {
  mkdirSync(dir, { recursive: true });
  const test = o.test ?? 'test_007';
  const n = o.sensors ?? 4;
  const sr = 12000;
  const t0Us = 1_545_180_566_000_000; // 2018-12-19T00:49:26Z
  const src = { x: -11450, y: 3653 };
  const specs: ResearchSensorSpec[] = [];
  for (let i = 0; i < n; i++) {
    const ang = (2 * Math.PI * i) / n + 0.3;
    const spec = {
      serial: `SCP-00-BNQ-${String(2000 + i)}`,
      x: src.x + 300 * Math.cos(ang),
      y: src.y + 300 * Math.sin(ang),
      z: -100 + i,
      timestamp: formatIsoMicros(t0Us).replace('.000000Z', '.000Z'),
    };
    const arrival = 1.2 + Math.hypot(spec.x - src.x - 20, spec.y - src.y + 10) / 331;
    const base = `${test}.audio.${spec.serial}`;
    writeFileSync(join(dir, `${base}.wav`), encodeWav([impulseClip(sr, 3, arrival, i + 7)], { format: 'pcm16', sampleRate: sr }));
    const side: Record<string, unknown> = {
      serial_number: spec.serial,
      timestamp: spec.timestamp,
      location: { x: spec.x, y: spec.y, z: spec.z },
      creator: 'test',
      license: 'CC BY 4.0',
      description: 'generated',
      original_file_md5: '0'.repeat(32),
    };
    o.sidecar?.(i, side);
    writeFileSync(join(dir, `${base}.json`), JSON.stringify(side, null, 4));
    specs.push(spec);
  }
  if (o.weather !== null) {
    writeFileSync(
      join(dir, `${test}.weather.json`),
      JSON.stringify(
        o.weather ?? {
          fluid: 'air',
          temperature: -1.1,
          speed: 2.5,
          direction: 270,
          precipitation: 'clear',
          observation_time: '2018-12-19T00:01:17.097Z',
          source: 'KAGC',
        },
      ),
    );
  }
  writeGroundTruth(dir, test, JSON.stringify({ decoy: true, survey_location: { x: 0, y: 0, z: 0 }, num_rounds: 99 }));
  return specs;
}

export const GROUND_TRUTH_SUFFIXES = ['survey.json', 'allpulses.json', 'nlos-tuples.json'] as const;

export function writeGroundTruth(dir: string, test: string, content: string | Buffer): void {
  for (const s of GROUND_TRUTH_SUFFIXES) writeFileSync(join(dir, `${test}.${s}`), content);
}
