import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { deflateSync, inflateSync } from 'node:zlib';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore } from '../../support/test-core.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { readAlertFolder } from '../../../src/ingest/readers.ts';
import { fileHasSmjChunk, readShotspotterFolder, shotspotterReader } from '../../../src/ingest/shotspotter.ts';
import { describeIfSharedData, SHARED_DATA } from '../../support/shared-data.ts';
import { smjBody } from '../../support/smj.ts';
import { writeSmjFolder } from '../../support/sensor-folders.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { storeSnapshot } from '../../support/store-snapshot.ts';
import { tempDir } from '../../support/temp.ts';

describe('ShotSpotter sensor WAVs with smj chunks', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let n = 0;
  const fresh = () => join(tmp.dir, `f${++n}`);

  beforeAll(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    // A valid sensor file outside every imported folder, for the link test.
    const [spec] = writeSmjFolder(join(tmp.dir, 'outside-src'), { sensors: 1 });
    cpSync(join(tmp.dir, 'outside-src', spec!.file), join(tmp.dir, 'outside.wav'));
  });
  afterAll(async () => {
    await core.close();
    tmp.cleanup();
  });

  it('detects a folder of smj WAVs cheaply, and never throws on anything else', () => {
    const dir = fresh();
    const specs = writeSmjFolder(dir);
    expect(shotspotterReader.detect(dir)).toBe(true);
    expect(fileHasSmjChunk(join(dir, specs[0]!.file))).toBe(true);
    const other = fresh();
    mkdirSync(other);
    expect(shotspotterReader.detect(other)).toBe(false); // empty
    writeFileSync(join(other, 'x.wav'), 'RIFF');
    writeFileSync(join(other, 'y.wav'), Buffer.alloc(100, 0xff));
    expect(shotspotterReader.detect(other)).toBe(false); // junk named .wav
    expect(shotspotterReader.detect(join(other, 'nope'))).toBe(false); // missing
    expect(shotspotterReader.detect(join(other, 'x.wav'))).toBe(false); // a file, not a folder
    expect(shotspotterReader.detect(writeSimpleBundle(fresh()).dir)).toBe(false); // WAVs without smj
  });

  it('reads sensors: WGS84 with elevation, microsecond start times, full scale in dB SPL, weather', () => {
    const dir = fresh();
    const specs = writeSmjFolder(dir);
    writeFileSync(join(dir, 'README.txt'), 'not a sensor file');
    const a = readAlertFolder(dir);
    expect(a).toMatchObject({ format: 'shotspotter-smj', source: 'shotspotter', coordinates: 'wgs84', machine: null, detectedUs: specs[0]!.startUs });
    expect(a.weather).toEqual({ temperatureC: 25, relativeHumidity: null, windSpeedMs: 6.7, windFromDeg: 210 });
    expect(a.sensors).toHaveLength(4);
    for (const s of specs) {
      const got = a.sensors.find((x) => x.sensorId === s.serial)!;
      expect(got).toMatchObject({
        position: { lat: s.lat, lon: s.lon, elevationM: s.elevation },
        clipStartUs: s.startUs,
        clipStartIso: s.startIso,
        fullScaleDbSpl: 93.09,
        channel: 0,
        clipName: s.file,
      });
      expect(got.clipStartUs % 1000).not.toBe(0); // the fixture's starts have sub-millisecond parts
    }
  });

  it('imports through importFolder, shows in the alert detail, and re-importing (even a renamed copy) is a duplicate', async () => {
    const dir = fresh();
    const specs = writeSmjFolder(dir);
    const r = await importFolder(core, dir, 'tester');
    expect(r.status).toBe('imported');
    const d = (await core.storePort.read((tx) => tx.alerts.detail(r.alertId!)))!;
    expect(d).toMatchObject({ source: 'shotspotter', format: 'shotspotter-smj', coordinates: 'wgs84', sensorCount: 4 });
    expect(d.weather?.temperatureC).toBe(25);
    expect(d.tracks.map((t) => t.sensorId).sort()).toEqual(specs.map((s) => s.serial).sort());
    for (const t of d.tracks) {
      const s = specs.find((x) => x.serial === t.sensorId)!;
      expect(t).toMatchObject({ clipStartUs: s.startUs, fullScaleDbSpl: 93.09, position: { lat: s.lat, lon: s.lon, elevationM: s.elevation } });
      expect(t.local.z).not.toBeNull();
      expect(core.clips.verify(t.clip.sha256)).toBe(true);
    }
    expect(d.solutions[0]?.shots.length ?? 0).toBeGreaterThanOrEqual(1);

    const before = await storeSnapshot(core);
    expect(await importFolder(core, dir, 'tester')).toMatchObject({ status: 'duplicate', alertId: r.alertId });
    const copy = fresh();
    cpSync(dir, copy, { recursive: true });
    for (const f of readdirSync(copy)) renameSync(join(copy, f), join(copy, `renamed-${f}`));
    expect(await importFolder(core, copy, 'tester')).toMatchObject({ status: 'duplicate', alertId: r.alertId });
    expect(await storeSnapshot(core)).toEqual(before);
  });

  const hostile: [string, (dir: string, files: string[]) => void, RegExp][] = [
    [
      'bad JSON in one smj chunk',
      (d) => writeSmjFolder(d, { chunks: (i, b) => [{ body: i === 1 ? deflateSync('{"serialNumber": ') : b }] }),
      /^[0-9a-f]+\.wav: the 'smj0' chunk is not valid JSON/,
    ],
    [
      'a number where a string belongs',
      (d) => writeSmjFolder(d, { doc: (i, doc) => i === 2 && (doc.startTimeUTC = 1663478453) }),
      /\.wav: the 'smj0' chunk: startTimeUTC/,
    ],
    [
      'a latitude as a string',
      (d) => writeSmjFolder(d, { doc: (i, doc) => i === 0 && (doc.geolocation = { latitude: '41.69', longitude: -87.6, elevation: 190 }) }),
      /geolocation.latitude/,
    ],
    [
      'bad zlib',
      (d) => writeSmjFolder(d, { chunks: (i, b) => [{ body: i === 3 ? Buffer.from('not zlib at all') : b }] }),
      /\.wav: the 'smj0' chunk is not zlib data/,
    ],
    [
      'a zip bomb',
      (d) => writeSmjFolder(d, { chunks: (i, b) => [{ body: i === 0 ? deflateSync(Buffer.alloc(32 << 20, 32)) : b }] }),
      /inflates to more than 262144 bytes/,
    ],
    [
      'two smj chunks in one file',
      (d) => writeSmjFolder(d, { chunks: (i, b) => (i === 1 ? [{ body: b }, { id: 'smjx', body: b }] : [{ body: b }]) }),
      /\.wav: 2 smj chunks/,
    ],
    [
      'a WAV without an smj chunk beside the others',
      (d) => writeSmjFolder(d, { chunks: (i, b) => (i === 2 ? [{ id: 'LIST', body: Buffer.from('INFO') }] : [{ body: b }]) }),
      /\.wav: no smj chunk/,
    ],
    [
      'two files from the same sensor',
      (d) => writeSmjFolder(d, { doc: (i, doc) => i === 3 && (doc.serialNumber = 'SCP-00-TST-1000') }),
      /\.wav and [0-9a-f]+\.wav both say they come from sensor SCP-00-TST-1000/,
    ],
    [
      'a duration that disagrees with the audio',
      (d) => writeSmjFolder(d, { doc: (i, doc) => i === 1 && (doc.duration = 8.0) }),
      /the smj chunk says 8 s but the audio holds 2.0000 s/,
    ],
    [
      'a microphone on a channel the file lacks',
      (d) => writeSmjFolder(d, { doc: (i, doc) => i === 0 && (doc.transducers = [{ channel: 1, fullScale: 93, active: true }]) }),
      /microphone on channel 1, but the file has 1 channel/,
    ],
    [
      'a truncated sensor WAV',
      (d, files) => writeFileSync(join(d, files[1]!), readFileSync(join(d, files[1]!)).subarray(0, 30000)),
      /\.wav: truncated: the RIFF header declares/,
    ],
    ['a non-WAV file named .wav', (d) => writeFileSync(join(d, 'notes.wav'), 'just text'), /notes\.wav: not a WAV file/],
    [
      'a sensor file that is a link leading out of the folder',
      (d) => symlinkSync(join(tmp.dir, 'outside.wav'), join(d, 'evil.wav')),
      /sensor file "evil\.wav" is a link leading out of the folder/,
    ],
    [
      'a start time in year 0022',
      (d) => writeSmjFolder(d, { doc: (i, doc) => i === 1 && (doc.startTimeUTC = '0022-09-18T05:20:53.455498Z') }),
      /^[0-9a-f]+\.wav: the 'smj0' chunk: startTimeUTC: "0022-09-18T05:20:53\.455498Z": year 0022 is before 1970$/,
    ],
    [
      'a start time in year 0026',
      (d) => writeSmjFolder(d, { doc: (i, doc) => i === 2 && (doc.startTimeUTC = '0026-09-18T05:20:53Z') }),
      /^[0-9a-f]+\.wav: the 'smj0' chunk: startTimeUTC: "0026-09-18T05:20:53Z": year 0026 is before 1970$/,
    ],
    [
      'a start time with offset +99:99',
      (d) => writeSmjFolder(d, { doc: (i, doc) => i === 0 && (doc.startTimeUTC = '2022-09-18T05:20:53.332041+99:99') }),
      /^[0-9a-f]+\.wav: the 'smj0' chunk: startTimeUTC: .*UTC offset \+99:99 is not within ±14:00$/,
    ],
    [
      'a start time more than a day from now',
      (d) => writeSmjFolder(d, { doc: (i, doc) => i === 3 && (doc.startTimeUTC = '2099-09-18T05:20:53Z') }),
      /^[0-9a-f]+\.wav: the 'smj0' chunk: startTimeUTC: 2099-09-18T05:20:53\.000000Z is more than a day after now/,
    ],
    [
      'a key said twice in an smj chunk',
      (d) =>
        writeSmjFolder(d, {
          chunks: (i, b) => [{ body: i === 1 ? deflateSync(inflateSync(b).toString('utf8').replace('{', '{"startTimeUTC": "2022-09-18T05:20:50Z", ')) : b }],
        }),
      /^[0-9a-f]+\.wav: the 'smj0' chunk has key "startTimeUTC" twice at the top level$/,
    ],
    [
      'a serial number with a right-to-left override',
      (d) => writeSmjFolder(d, { doc: (i, doc) => i === 2 && (doc.serialNumber = 'SCP-00-\u202eTST-1002') }),
      /^[0-9a-f]+\.wav: the 'smj0' chunk: serialNumber: holds U\+202E, which is not a printable character$/,
    ],
    [
      'two file names for one sensor file (a link inside the folder)',
      (d, files) => symlinkSync(files[0]!, join(d, 'zzz.wav')),
      /^zzz\.wav: "zzz\.wav" channel 0 is the audio of [0-9a-f]+\.wav already; two sensors cannot have recorded the same audio$/,
    ],
    [
      'serial number with control characters',
      (d) => writeSmjFolder(d, { doc: (i, doc) => i === 0 && (doc.serialNumber = 'SCP\u0000BAD') }),
      /serialNumber: holds U\+0000, which is not a printable character/,
    ],
  ];

  it.each(hostile)('refuses %s, naming the file, writing nothing', async (_name, breakIt, message) => {
    const dir = fresh();
    const specs = writeSmjFolder(dir);
    breakIt(
      dir,
      specs.map((s) => s.file),
    );
    const before = await storeSnapshot(core);
    const r = await importFolder(core, dir, 'tester');
    expect(r.status).toBe('refused');
    expect(r.message).toMatch(message);
    expect(r.message).not.toMatch(/\n/);
    expect(await storeSnapshot(core)).toEqual(before);
  });

  it('refuses a folder of WAVs where none has an smj chunk as "not an alert"', async () => {
    const dir = fresh();
    writeSmjFolder(dir, { chunks: () => [{ id: 'LIST', body: Buffer.from('INFO') }] });
    expect(await importFolder(core, dir, 'tester')).toMatchObject({ status: 'refused', message: expect.stringMatching(/is not an alert/) });
  });

  it('reads an smjx chunk as well as smj0', () => {
    const dir = fresh();
    writeSmjFolder(dir, { chunks: (_i, b) => [{ id: 'smjx', body: b }] });
    expect(readShotspotterFolder(dir, { nowUs: Date.now() * 1000 }).sensors).toHaveLength(4);
  });

  it('accepts other vendor chunks beside the smj chunk', () => {
    const dir = fresh();
    writeSmjFolder(dir, { chunks: (_i, b) => [{ body: b }, { id: 'pad!', body: smjBody({ x: 1 }) }] });
    expect(readShotspotterFolder(dir, { nowUs: Date.now() * 1000 }).sensors).toHaveLength(4);
  });
});

describeIfSharedData('the Chicago example (4 real sensors)', () => {
  const dir = join(SHARED_DATA, 'shotspotter-wav/chicago-incident-556267');

  it('imports, shows in the detail with real positions, start times and calibration, and is a duplicate the second time', async () => {
    const tmp = tempDir();
    const core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    try {
      expect(shotspotterReader.detect(dir)).toBe(true);
      const r = await importFolder(core, dir, 'tester');
      expect(r.status).toBe('imported');
      const d = (await core.storePort.read((tx) => tx.alerts.detail(r.alertId!)))!;
      expect(d.tracks).toHaveLength(4);
      expect(d.weather).toEqual({ temperatureC: 25, relativeHumidity: null, windSpeedMs: 6.68777, windFromDeg: 210 });
      const t = d.tracks.find((x) => x.sensorId === 'SCP-00-BNG-4922')!;
      expect(t).toMatchObject({
        position: { lat: 41.695707, lon: -87.630295, elevationM: 194.014017648927 },
        clipStartUs: Date.UTC(2022, 8, 18, 5, 20, 53, 332) * 1000,
        clipStartIso: '2022-09-18T05:20:53.332Z',
        fullScaleDbSpl: 93.09,
        clip: { sampleRate: 12000, channels: 1, frames: 24000, format: 'pcm16' },
      });
      expect(d.detectedUs).toBe(t.clipStartUs);
      expect(await importFolder(core, dir, 'tester')).toMatchObject({ status: 'duplicate', alertId: r.alertId });
    } finally {
      await core.close();
      tmp.cleanup();
    }
  });
});
