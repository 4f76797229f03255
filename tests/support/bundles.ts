import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
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
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  const list = [];
  for (let i = 0; i < sensors; i++) {
    const ang = (2 * Math.PI * i) / sensors;
    const x = ring * Math.cos(ang),
      y = ring * Math.sin(ang);
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

/** The clock of tests that import the hostile corpus: after every time writeSimpleBundle writes by default. */
export const HOSTILE_NOW_US = 1_767_225_600_000_000; // 2026-01-01T00:00:00Z

export interface HostileBundle {
  name: string;
  /** Makes the bundle in `dir` (fresh); `outside` is a folder beside it, outside the bundle. */
  make(dir: string, outside: string): void;
  /** The one-line refusal: it names the file and the field. */
  expected: RegExp;
}

type Alert = Record<string, unknown> & { sensors: Record<string, unknown>[] };
const bundleWith = (mutate: (a: Alert) => void) => (dir: string) => void writeSimpleBundle(dir, { mutate: (a) => mutate(a as Alert) });
/** A valid bundle whose alert.json text is then edited (for what JSON.stringify cannot write: twice a key, bad bytes). */
const bundleText = (edit: (text: string) => string | Buffer) => (dir: string) => {
  writeSimpleBundle(dir);
  const file = join(dir, 'alert.json');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
};
/** Replaces the first occurrence of `from` in a Buffer made of `text`, with raw bytes. */
const withBytes = (text: string, from: string, bytes: number[]) => {
  const at = Buffer.from(text.slice(0, text.indexOf(from)), 'utf8').length;
  const b = Buffer.from(text, 'utf8');
  return Buffer.concat([b.subarray(0, at), Buffer.from(bytes), b.subarray(at + Buffer.byteLength(from))]);
};
/** A mono 16-bit WAV header for `frames` samples, the data left to a sparse file: big on paper, nothing on disk. */
const sparseWav = (path: string, frames: number, sampleRate = 16000) => {
  const header = encodeWav([new Float32Array(0)], { format: 'pcm16', sampleRate });
  header.writeUInt32LE(36 + frames * 2, 4);
  header.writeUInt32LE(frames * 2, 40);
  writeFileSync(path, header);
  truncateSync(path, header.length + frames * 2);
};
const sparseFile = (path: string, bytes: number) => {
  writeFileSync(path, '');
  truncateSync(path, bytes);
};

/**
 * Bundles that lie, each refused with one line naming alert.json (or the clip) and the field.
 * Every case is one way an input misstates itself: a time from a two-digit-year rule, an offset
 * no zone has, a manifest that is a link, bytes that are no UTF-8, a key said twice, an id that
 * looks like another, sizes far past any alert.
 */
export function hostileBundles(): HostileBundle[] {
  const clipStart = (v: string) => bundleWith((a) => (a.sensors[0]!.clipStart = v));
  return [
    // Times.
    {
      name: 'clipStart in year 0022',
      make: clipStart('0022-11-20T03:14:14.500000Z'),
      expected: /^alert\.json: sensors\.0\.clipStart: "0022-11-20T03:14:14\.500000Z": year 0022 is before 1970$/,
    },
    {
      name: 'detectedAt in year 0026',
      make: bundleWith((a) => (a.detectedAt = '0026-01-01T00:00:00Z')),
      expected: /^alert\.json: detectedAt: "0026-01-01T00:00:00Z": year 0026 is before 1970$/,
    },
    { name: 'clipStart in 1969', make: clipStart('1969-12-31T23:59:59.999999Z'), expected: /^alert\.json: sensors\.0\.clipStart: .*year 1969 is before 1970$/ },
    {
      name: 'clipStart with offset +99:99',
      make: clipStart('2025-11-20T03:14:14.5+99:99'),
      expected: /^alert\.json: sensors\.0\.clipStart: .*UTC offset \+99:99 is not within ±14:00$/,
    },
    {
      name: 'clipStart with offset +14:30',
      make: clipStart('2025-11-20T03:14:14.5+14:30'),
      expected: /^alert\.json: sensors\.0\.clipStart: .*UTC offset \+14:30 is not within ±14:00$/,
    },
    {
      name: 'clipStart on February 30',
      make: clipStart('2025-02-30T03:14:14Z'),
      expected: /^alert\.json: sensors\.0\.clipStart: .*day 30 does not exist in 2025-02$/,
    },
    {
      name: 'clipStart on February 29 of a common year',
      make: clipStart('2025-02-29T03:14:14Z'),
      expected: /^alert\.json: sensors\.0\.clipStart: .*day 29 does not exist in 2025-02$/,
    },
    { name: 'clipStart at 24:00:01', make: clipStart('2025-11-20T24:00:01Z'), expected: /^alert\.json: sensors\.0\.clipStart: .*hour 24 does not exist/ },
    {
      name: 'clipStart in a leap second',
      make: clipStart('2016-12-31T23:59:60.5Z'),
      expected: /^alert\.json: sensors\.0\.clipStart: .*leap second 60 is refused/,
    },
    {
      name: 'clipStart with ten fractional digits',
      make: clipStart('2025-11-20T03:14:14.1234567891Z'),
      expected: /^alert\.json: sensors\.0\.clipStart: .*is not an ISO 8601 time with a zone/,
    },
    {
      name: 'clipStart without a zone',
      make: clipStart('2025-11-20T03:14:14.5'),
      expected: /^alert\.json: sensors\.0\.clipStart: .*is not an ISO 8601 time with a zone/,
    },
    {
      name: 'clipStart more than a day in the future',
      make: clipStart('2026-01-02T00:00:00.000001Z'),
      expected: /^alert\.json: sensors\.0\.clipStart: 2026-01-02T00:00:00\.000001Z is more than a day after now \(2026-01-01T00:00:00\.000000Z\)$/,
    },
    {
      name: 'detectedAt in 2099',
      make: bundleWith((a) => (a.detectedAt = '2099-06-01T00:00:00Z')),
      expected: /^alert\.json: detectedAt: 2099-06-01T00:00:00\.000000Z is more than a day after now/,
    },

    // The manifest itself.
    {
      name: 'alert.json as a link leaving the bundle',
      make: (dir, outside) => {
        writeSimpleBundle(dir);
        renameSync(join(dir, 'alert.json'), join(outside, 'real-alert.json'));
        symlinkSync(join(outside, 'real-alert.json'), join(dir, 'alert.json'));
      },
      expected: /^alert\.json is a link; it must be a regular file inside the bundle$/,
    },
    {
      name: 'alert.json as a link inside the bundle',
      make: (dir) => {
        writeSimpleBundle(dir);
        renameSync(join(dir, 'alert.json'), join(dir, 'manifest.json'));
        symlinkSync('manifest.json', join(dir, 'alert.json'));
      },
      expected: /^alert\.json is a link; it must be a regular file inside the bundle$/,
    },
    {
      name: 'alert.json as a link to a secret file',
      make: (dir, outside) => {
        writeSimpleBundle(dir);
        writeFileSync(join(outside, 'secret.json'), '{"password": "hunter2"}');
        rmSync(join(dir, 'alert.json'));
        symlinkSync(join(outside, 'secret.json'), join(dir, 'alert.json'));
      },
      expected: /^alert\.json is a link; it must be a regular file inside the bundle$/,
    },
    {
      name: 'alert.json as a folder',
      make: (dir) => {
        writeSimpleBundle(dir);
        rmSync(join(dir, 'alert.json'));
        mkdirSync(join(dir, 'alert.json'));
      },
      expected: /^alert\.json is not a regular file$/,
    },
    {
      name: 'alert.json of 2 MiB',
      make: bundleText((t) => t.replace('"format"', `"pad": "${'x'.repeat(2 << 20)}", "format"`)),
      expected: /^alert\.json is \d+ bytes, over the 1048576-byte limit$/,
    },

    // Bytes and text.
    {
      name: 'invalid UTF-8 in the alert id',
      make: bundleText((t) => withBytes(t, 'TEST-0001', [0x54, 0xff, 0x31])),
      expected: /^alert\.json is not valid UTF-8: byte \d+, in id$/,
    },
    {
      name: 'invalid UTF-8 in a sensor id',
      make: bundleText((t) => withBytes(t, '"S-003"', [0x22, 0x53, 0xc3, 0x28, 0x22])),
      expected: /^alert\.json is not valid UTF-8: byte \d+, in sensors\.2\.id$/,
    },
    {
      name: 'an overlong UTF-8 slash in the source',
      make: bundleText((t) => withBytes(t, 'test-network', [0x61, 0xc0, 0xaf, 0x62])),
      expected: /^alert\.json is not valid UTF-8: byte \d+, in source$/,
    },
    { name: 'a UTF-16 alert.json', make: bundleText((t) => Buffer.from(`\ufeff${t}`, 'utf16le')), expected: /^alert\.json is not valid UTF-8: byte \d+/ },
    {
      name: 'a right-to-left override in the alert id',
      make: bundleWith((a) => (a.id = 'TEST-\u202e1000')),
      expected: /^alert\.json: id: holds U\+202E, which is not a printable character$/,
    },
    {
      name: 'a zero-width space in the source',
      make: bundleWith((a) => (a.source = 'test\u200bnetwork')),
      expected: /^alert\.json: source: holds U\+200B, which is not a printable character$/,
    },
    {
      name: 'a no-break space in a sensor id',
      make: bundleWith((a) => (a.sensors[1]!.id = 'S\u00a0002')),
      expected: /^alert\.json: sensors\.1\.id: holds U\+00A0, which is not a printable character$/,
    },
    {
      name: 'a C1 control (NEL) in a sensor id',
      make: bundleWith((a) => (a.sensors[3]!.id = 'S-004\u0085')),
      expected: /^alert\.json: sensors\.3\.id: holds U\+0085, which is not a printable character$/,
    },
    {
      name: 'a lone surrogate escaped in the alert id',
      make: bundleText((t) => t.replace('"TEST-0001"', '"TEST-\\ud800"')),
      expected: /^alert\.json: id: holds U\+D800, which is not a printable character$/,
    },
    { name: 'an id not in normal form C', make: bundleWith((a) => (a.id = 'Zu\u0308rich-1')), expected: /^alert\.json: id: is not in Unicode normal form C/ },
    { name: 'an id with a trailing space', make: bundleWith((a) => (a.id = 'TEST-0001 ')), expected: /^alert\.json: id: starts or ends with a space$/ },
    {
      name: 'a bidi isolate in the machine label',
      make: bundleWith((a) => ((a.machine as Record<string, unknown>).label = 'gun\u2066shot')),
      expected: /^alert\.json: machine\.label: holds U\+2066, which is not a printable character$/,
    },

    // Keys said twice (JSON.parse keeps the last silently).
    {
      name: 'the alert id twice',
      make: bundleText((t) => t.replace('"format"', '"id": "DECOY-9", "format"')),
      expected: /^alert\.json has key "id" twice at the top level$/,
    },
    {
      name: 'a clipStart twice in one sensor',
      make: bundleText((t) => t.replace('"clip": "S-002.wav"', '"clip": "S-002.wav", "clipStart": "2025-11-20T03:14:14Z"')),
      expected: /^alert\.json has key "clipStart" twice in sensors\.1$/,
    },
    {
      name: 'a key twice, one spelled with an escape',
      make: bundleText((t) => t.replace('"format"', '"\\u0073ource": "other-network", "format"')),
      expected: /^alert\.json has key "source" twice at the top level$/,
    },
    {
      name: 'a weather key twice',
      make: bundleText((t) => t.replace('"temperatureC": 20', '"temperatureC": 20, "temperatureC": -40')),
      expected: /^alert\.json has key "temperatureC" twice in weather$/,
    },
    {
      name: 'nesting 100 deep',
      make: bundleText((t) => t.replace('"format"', `"deep": ${'['.repeat(100)}${']'.repeat(100)}, "format"`)),
      expected: /^alert\.json is not valid JSON: nesting deeper than 64 levels at deep(\.0)+ /,
    },

    // Sizes, refused before any audio is read.
    {
      name: '65 sensor entries',
      make: bundleWith((a) => (a.sensors = Array.from({ length: 65 }, (_, i) => ({ ...a.sensors[0]!, id: `S-${i}` })))),
      expected: /^alert\.json: sensors: Too big: expected array to have <=64 items$/,
    },
    {
      name: '64 entries naming one 8 MiB clip',
      make: (dir) => {
        writeSimpleBundle(dir, {
          mutate: (a) =>
            (a.sensors = Array.from({ length: 64 }, (_, i) => ({ ...(a.sensors as Record<string, unknown>[])[i % 4]!, id: `S-${i}`, clip: 'big.wav' }))),
        });
        sparseWav(join(dir, 'big.wav'), 4 << 20);
      },
      expected: /^alert\.json: sensors\.1\.clip: "big\.wav" channel 0 is the audio of sensors\.0 already; two sensors cannot have recorded the same audio$/,
    },
    {
      name: 'two sensors naming one clip through a link inside the bundle',
      make: (dir) => {
        writeSimpleBundle(dir, { mutate: (a) => ((a.sensors as Record<string, unknown>[])[3]!.clip = 'copy.wav') });
        symlinkSync('S-001.wav', join(dir, 'copy.wav'));
      },
      expected: /^alert\.json: sensors\.3\.clip: "copy\.wav" channel 0 is the audio of sensors\.0 already/,
    },
    {
      name: 'two sensors naming copies of one clip',
      make: (dir) => {
        writeSimpleBundle(dir, { mutate: (a) => ((a.sensors as Record<string, unknown>[])[2]!.clip = 'copy.wav') });
        writeFileSync(join(dir, 'copy.wav'), readFileSync(join(dir, 'S-001.wav')));
      },
      expected: /^copy\.wav: channel 0 holds the very audio of S-001\.wav channel 0; two sensors cannot have recorded the same audio$/,
    },
    {
      name: 'a clip that is a named pipe (reading it would wait forever)',
      make: (dir) => {
        writeSimpleBundle(dir);
        rmSync(join(dir, 'S-002.wav'));
        execFileSync('mkfifo', [join(dir, 'S-002.wav')]);
      },
      expected: /^alert\.json: sensors\.1\.clip: clip "S-002\.wav" is not a regular file$/,
    },
    {
      name: 'a clip of 300 MiB',
      make: (dir) => {
        writeSimpleBundle(dir);
        sparseFile(join(dir, 'S-002.wav'), 300 << 20);
      },
      expected: /^alert\.json: sensors\.1\.clip: clip "S-002\.wav" is 314572800 bytes, over the 268435456-byte limit$/,
    },
    {
      name: 'clips adding up to 1.2 GiB',
      make: (dir) => {
        writeSimpleBundle(dir);
        for (const n of ['S-001.wav', 'S-002.wav', 'S-003.wav', 'S-004.wav']) sparseFile(join(dir, n), 250 << 20);
        writeFileSync(
          join(dir, 'alert.json'),
          readFileSync(join(dir, 'alert.json'), 'utf8').replace(
            '"sensors": [',
            `"sensors": [{ "id": "S-005", "lat": 38.6461, "lon": -121.444, "clip": "S-005.wav", "clipStart": "2025-11-20T00:53:20Z" },`,
          ),
        );
        sparseFile(join(dir, 'S-005.wav'), 250 << 20);
      },
      expected: /^the clips of this alert add up to 1310720000 bytes, over the 1073741824-byte limit for one alert$/,
    },
    {
      name: 'a clip of 2^24 + 1 samples',
      make: (dir) => {
        writeSimpleBundle(dir);
        sparseWav(join(dir, 'S-003.wav'), 2 ** 24 + 1);
      },
      expected: /^S-003\.wav: 16777217 samples per channel is over the limit of 16777216$/,
    },
  ];
}
