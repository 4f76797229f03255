import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore } from '../../support/test-core.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { loadClip } from '../../../src/ingest/prepare.ts';
import { pittsburghReader, readResearchTest } from '../../../src/ingest/pittsburgh.ts';
import { readAlertFolder } from '../../../src/ingest/readers.ts';
import type { IncomingAlert } from '../../../src/ingest/types.ts';
import { describeIfSharedData, SHARED_DATA } from '../../support/shared-data.ts';
import { GROUND_TRUTH_SUFFIXES, writeGroundTruth, writeResearchTest } from '../../support/sensor-folders.ts';
import { storeSnapshot } from '../../support/store-snapshot.ts';
import { tempDir } from '../../support/temp.ts';

/** What a reader hands on, comparable with toEqual (clip bytes as their length and a checksum). */
function comparable(a: IncomingAlert): unknown {
  return {
    ...a,
    sensors: a.sensors.map(({ clip: _where, ...s }) => {
      const bytes = Buffer.from(loadClip(_where, s.clipName));
      return { ...s, clipBytes: [bytes.length, bytes.toString('base64')] };
    }),
  };
}

/** An alert's detail without the fields that differ between two databases (ids, import time). */
async function portableDetail(core: Core, id: number): Promise<unknown> {
  const d = (await core.storePort.read((tx) => tx.alerts.detail(id)))!;
  return {
    ...d,
    id: 0,
    importedUs: 0,
    pulses: d.pulses.map((p) => ({ ...p, id: 0 })),
    solutions: d.solutions.map((s) => ({ ...s, id: 0, createdUs: 0 })),
  };
}

/**
 * The reader must never read the ground truth: copies of a test folder without those files, with
 * them replaced by garbage, and with them replaced by folders (which no read could survive)
 * must give identical alerts, read and imported.
 */
async function expectGroundTruthIgnored(testDir: string, test: string, tmpRoot: string): Promise<void> {
  const without = join(tmpRoot, 'without', test);
  const garbage = join(tmpRoot, 'garbage', test);
  const folders = join(tmpRoot, 'folders', test);
  for (const d of [without, garbage, folders]) {
    mkdirSync(d, { recursive: true });
    for (const f of readdirSync(testDir)) {
      if (!GROUND_TRUTH_SUFFIXES.some((s) => f === `${test}.${s}`)) cpSync(join(testDir, f), join(d, f));
    }
  }
  expect(readdirSync(without).some((f) => f.includes('survey'))).toBe(false);
  writeGroundTruth(garbage, test, Buffer.from('\u0000{{ not json ]] \uffff garbage', 'utf8'));
  for (const s of GROUND_TRUTH_SUFFIXES) mkdirSync(join(folders, `${test}.${s}`));

  const reference = comparable(readAlertFolder(testDir));
  for (const d of [without, garbage, folders]) expect(comparable(readAlertFolder(d))).toEqual(reference);

  const details: unknown[] = [];
  for (const [i, d] of [testDir, without, garbage, folders].entries()) {
    const core = await openTestCore({ dataDir: join(tmpRoot, `data-${i}`), clock: { nowUs: () => 1_700_000_000_000_000 } });
    try {
      const r = await importFolder(core, d, 'tester');
      expect(r.status).toBe('imported');
      details.push(await portableDetail(core, r.alertId!));
    } finally {
      await core.close();
    }
  }
  for (const d of details.slice(1)) expect(d).toEqual(details[0]);
}

describe('research test folders (Pittsburgh layout)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let n = 0;
  const fresh = () => join(tmp.dir, `t${++n}`);

  beforeAll(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
  });
  afterAll(async () => {
    await core.close();
    tmp.cleanup();
  });

  it('detects the layout by its sidecar names, and never throws', () => {
    const dir = fresh();
    writeResearchTest(dir);
    expect(pittsburghReader.detect(dir)).toBe(true);
    const empty = fresh();
    mkdirSync(empty);
    expect(pittsburghReader.detect(empty)).toBe(false);
    expect(pittsburghReader.detect(join(empty, 'missing'))).toBe(false);
    writeFileSync(join(empty, 'test_001.survey.json'), '{}');
    expect(pittsburghReader.detect(empty)).toBe(false); // ground truth alone is not a test
  });

  it('reads sensors in local metres, start times, weather; the id is the test and its first start', () => {
    const dir = fresh();
    const specs = writeResearchTest(dir);
    const a = readResearchTest(dir, { nowUs: Date.now() * 1000 });
    expect(a).toMatchObject({
      format: 'research-test',
      source: 'research',
      externalId: 'test_007@2018-12-19T00:49:26.000000Z',
      coordinates: 'local',
      machine: null,
      detectedUs: 1_545_180_566_000_000,
    });
    expect(a.weather).toEqual({ temperatureC: -1.1, relativeHumidity: null, windSpeedMs: 2.5, windFromDeg: 270 });
    expect(a.sensors.map((s) => s.sensorId)).toEqual(specs.map((s) => s.serial));
    for (const s of specs) {
      expect(a.sensors.find((x) => x.sensorId === s.serial)).toMatchObject({
        position: { x: s.x, y: s.y, z: s.z },
        clipStartUs: 1_545_180_566_000_000,
        clipStartIso: s.timestamp,
        channel: 0,
        fullScaleDbSpl: null,
        clipName: `test_007.audio.${s.serial}.wav`,
      });
    }
  });

  it('reads a test without weather.json (temperature left to the default)', () => {
    const dir = fresh();
    writeResearchTest(dir, { weather: null });
    expect(readResearchTest(dir, { nowUs: Date.now() * 1000 }).weather).toBeNull();
  });

  it('imports through importFolder, shows in the detail, and is a duplicate the second time (also from a copy)', async () => {
    const dir = fresh();
    writeResearchTest(dir, { test: 'test_042' });
    const r = await importFolder(core, dir, 'tester');
    expect(r.status).toBe('imported');
    const d = (await core.storePort.read((tx) => tx.alerts.detail(r.alertId!)))!;
    expect(d).toMatchObject({
      source: 'research',
      externalId: 'test_042@2018-12-19T00:49:26.000000Z',
      coordinates: 'local',
      localOrigin: null,
      sensorCount: 4,
    });
    expect(d.weather?.temperatureC).toBe(-1.1);
    expect(d.tracks.every((t) => 'x' in t.position && t.local.z !== null)).toBe(true);
    const before = await storeSnapshot(core);
    expect(await importFolder(core, dir, 'tester')).toMatchObject({ status: 'duplicate', alertId: r.alertId });
    const copy = join(fresh(), 'elsewhere');
    cpSync(dir, copy, { recursive: true });
    expect(await importFolder(core, copy, 'tester')).toMatchObject({ status: 'duplicate', alertId: r.alertId });
    expect(await storeSnapshot(core)).toEqual(before);
  });

  it('never reads survey, allpulses or nlos-tuples (generated test)', async () => {
    const dir = fresh();
    writeResearchTest(dir, { test: 'test_011' });
    await expectGroundTruthIgnored(dir, 'test_011', fresh());
  });

  const side = (i: number, over: Record<string, unknown>) => (j: number, d: Record<string, unknown>) => {
    if (i === j) Object.assign(d, over);
  };
  const hostile: [string, (dir: string) => void, RegExp][] = [
    [
      'a sidecar that is not JSON',
      (d) => writeFileSync(join(d, 'test_007.audio.SCP-00-BNQ-2001.json'), '{"serial_number": '),
      /^test_007\.audio\.SCP-00-BNQ-2001\.json is not valid JSON/,
    ],
    [
      'a sidecar that is not UTF-8',
      (d) => writeFileSync(join(d, 'test_007.audio.SCP-00-BNQ-2001.json'), Buffer.from([0x7b, 0xff, 0xfe, 0x7d])),
      /SCP-00-BNQ-2001\.json is not valid UTF-8/,
    ],
    [
      "invalid UTF-8 in a sidecar's serial",
      (d) => {
        const file = join(d, 'test_007.audio.SCP-00-BNQ-2001.json');
        const text = readFileSync(file);
        const at = text.indexOf('BNQ-2001');
        text[at + 1] = 0xff;
        writeFileSync(file, text);
      },
      /^test_007\.audio\.SCP-00-BNQ-2001\.json is not valid UTF-8: byte \d+, in serial_number$/,
    ],
    ['a sidecar that is a JSON list', (d) => writeFileSync(join(d, 'test_007.audio.SCP-00-BNQ-2001.json'), '[1, 2]'), /SCP-00-BNQ-2001\.json: \(top\)/],
    ['a position as strings', (d) => writeResearchTest(d, { sidecar: side(2, { location: { x: '1', y: '2', z: 3 } }) }), /SCP-00-BNQ-2002\.json: location\.x/],
    ['a missing timestamp', (d) => writeResearchTest(d, { sidecar: side(0, { timestamp: undefined }) }), /SCP-00-BNQ-2000\.json: timestamp/],
    [
      'a timestamp without a zone',
      (d) => writeResearchTest(d, { sidecar: side(1, { timestamp: '2018-12-19 00:49:26' }) }),
      /SCP-00-BNQ-2001\.json: timestamp: "2018-12-19 00:49:26" is not an ISO 8601 time with a zone/,
    ],
    [
      'a timestamp in year 0018 (a Date would say 1918)',
      (d) => writeResearchTest(d, { sidecar: side(2, { timestamp: '0018-12-19T00:49:26.000Z' }) }),
      /^test_007\.audio\.SCP-00-BNQ-2002\.json: timestamp: "0018-12-19T00:49:26\.000Z": year 0018 is before 1970$/,
    ],
    [
      'a timestamp with offset +99:99',
      (d) => writeResearchTest(d, { sidecar: side(0, { timestamp: '2018-12-19T00:49:26.000+99:99' }) }),
      /^test_007\.audio\.SCP-00-BNQ-2000\.json: timestamp: .*UTC offset \+99:99 is not within ±14:00$/,
    ],
    [
      'a timestamp on February 29 of 2018',
      (d) => writeResearchTest(d, { sidecar: side(3, { timestamp: '2018-02-29T00:49:26.000Z' }) }),
      /^test_007\.audio\.SCP-00-BNQ-2003\.json: timestamp: .*day 29 does not exist in 2018-02$/,
    ],
    [
      'a timestamp more than a day from now',
      (d) => writeResearchTest(d, { sidecar: side(1, { timestamp: '2099-12-19T00:49:26.000Z' }) }),
      /^test_007\.audio\.SCP-00-BNQ-2001\.json: timestamp: 2099-12-19T00:49:26\.000000Z is more than a day after now/,
    ],
    [
      'a sidecar key said twice',
      (d) =>
        writeFileSync(
          join(d, 'test_007.audio.SCP-00-BNQ-2001.json'),
          readFileSync(join(d, 'test_007.audio.SCP-00-BNQ-2001.json'), 'utf8').replace('{', '{"timestamp": "2018-12-19T00:49:20.000Z",'),
        ),
      /^test_007\.audio\.SCP-00-BNQ-2001\.json has key "timestamp" twice at the top level$/,
    ],
    [
      'a weather key said twice',
      (d) => writeFileSync(join(d, 'test_007.weather.json'), '{"temperature": -1.1, "temperature": 35}'),
      /^test_007\.weather\.json has key "temperature" twice at the top level$/,
    ],
    [
      "a WAV that is a link to another sensor's WAV",
      (d) => {
        rmSync(join(d, 'test_007.audio.SCP-00-BNQ-2003.wav'));
        symlinkSync('test_007.audio.SCP-00-BNQ-2000.wav', join(d, 'test_007.audio.SCP-00-BNQ-2003.wav'));
      },
      /^test_007\.audio\.SCP-00-BNQ-2003\.wav: "test_007\.audio\.SCP-00-BNQ-2003\.wav" channel 0 is the audio of test_007\.audio\.SCP-00-BNQ-2000\.wav already/,
    ],
    ['an absurd position', (d) => writeResearchTest(d, { sidecar: side(1, { location: { x: 1e300, y: 0 } }) }), /location\.x/],
    [
      'a serial that disagrees with the file name',
      (d) => writeResearchTest(d, { sidecar: side(3, { serial_number: 'SCP-00-BNQ-9999' }) }),
      /test_007\.audio\.SCP-00-BNQ-2003\.json says it is from sensor "SCP-00-BNQ-9999", but its name says SCP-00-BNQ-2003/,
    ],
    [
      'a serial that is a path',
      (d) => writeResearchTest(d, { sidecar: side(0, { serial_number: '../../etc/passwd' }) }),
      /says it is from sensor "\.\.\/\.\.\/etc\/passwd"/,
    ],
    [
      'a sidecar whose WAV is missing',
      (d) => unlinkSync(join(d, 'test_007.audio.SCP-00-BNQ-2002.wav')),
      /test_007\.audio\.SCP-00-BNQ-2002\.json has no audio: test_007\.audio\.SCP-00-BNQ-2002\.wav is missing/,
    ],
    [
      'a WAV whose sidecar is missing',
      (d) => unlinkSync(join(d, 'test_007.audio.SCP-00-BNQ-2002.json')),
      /test_007\.audio\.SCP-00-BNQ-2002\.wav has no sidecar/,
    ],
    [
      'a sidecar name with dots in the serial',
      (d) => writeFileSync(join(d, 'test_007.audio.a..b.json'), '{}'),
      /sidecar name "test_007\.audio\.a\.\.b\.json" is not test_NNN\.audio\.<serial>\.json/,
    ],
    ['a sidecar name with spaces', (d) => writeFileSync(join(d, 'test_007.audio.SCP 1.json'), '{}'), /sidecar name "test_007\.audio\.SCP 1\.json"/],
    ['two tests in one folder', (d) => writeResearchTest(d, { test: 'test_008', sensors: 1 }), /mixes tests test_007, test_008/],
    [
      'a sidecar that is a link leading out of the folder',
      (d) => {
        rmSync(join(d, 'test_007.audio.SCP-00-BNQ-2001.json'));
        symlinkSync(join(tmp.dir, 'outside.json'), join(d, 'test_007.audio.SCP-00-BNQ-2001.json'));
      },
      /file "test_007\.audio\.SCP-00-BNQ-2001\.json" is a link leading out of the test folder/,
    ],
    [
      'a WAV that is a link leading out of the folder',
      (d) => {
        rmSync(join(d, 'test_007.audio.SCP-00-BNQ-2001.wav'));
        symlinkSync(join(tmp.dir, 'outside.wav'), join(d, 'test_007.audio.SCP-00-BNQ-2001.wav'));
      },
      /clip "test_007\.audio\.SCP-00-BNQ-2001\.wav" is a link leading out of the test folder/,
    ],
    [
      'a sidecar that is a folder',
      (d) => {
        rmSync(join(d, 'test_007.audio.SCP-00-BNQ-2001.json'));
        mkdirSync(join(d, 'test_007.audio.SCP-00-BNQ-2001.json'));
      },
      /"test_007\.audio\.SCP-00-BNQ-2001\.json" is not a regular file/,
    ],
    [
      'a sidecar of 2 MB',
      (d) => writeFileSync(join(d, 'test_007.audio.SCP-00-BNQ-2001.json'), `{"pad": "${'x'.repeat(2 << 20)}"}`),
      /is \d+ bytes, over the 1048576-byte limit/,
    ],
    ['a weather file that is not JSON', (d) => writeFileSync(join(d, 'test_007.weather.json'), 'temperature: -1'), /test_007\.weather\.json is not valid JSON/],
    ['a temperature as a string', (d) => writeFileSync(join(d, 'test_007.weather.json'), '{"temperature": "-1.1"}'), /test_007\.weather\.json: temperature/],
    ['a temperature of 300 C', (d) => writeFileSync(join(d, 'test_007.weather.json'), '{"temperature": 300}'), /test_007\.weather\.json: temperature/],
    ['a water test', (d) => writeFileSync(join(d, 'test_007.weather.json'), '{"fluid": "water", "temperature": 4}'), /test_007\.weather\.json: fluid/],
    [
      'a WAV that is not audio',
      (d) => writeFileSync(join(d, 'test_007.audio.SCP-00-BNQ-2003.wav'), '<html>'),
      /^test_007\.audio\.SCP-00-BNQ-2003\.wav: not a WAV file/,
    ],
  ];

  it.each(hostile)('refuses %s with a clear message, writing nothing', async (_name, breakIt, message) => {
    writeFileSync(
      join(tmp.dir, 'outside.json'),
      JSON.stringify({ serial_number: 'SCP-00-BNQ-2001', timestamp: '2018-12-19T00:49:26.000Z', location: { x: 0, y: 0, z: 0 } }),
    );
    const dir = fresh();
    writeResearchTest(dir);
    cpSync(join(dir, 'test_007.audio.SCP-00-BNQ-2001.wav'), join(tmp.dir, 'outside.wav'));
    breakIt(dir);
    const before = await storeSnapshot(core);
    const r = await importFolder(core, dir, 'tester');
    expect(r.status).toBe('refused');
    expect(r.message).toMatch(message);
    expect(r.message).not.toMatch(/\n/);
    expect(await storeSnapshot(core)).toEqual(before);
  });
});

describeIfSharedData('the Pittsburgh dev set (real recordings)', () => {
  const root = join(SHARED_DATA, 'pittsburgh-2018/dev');
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir();
  });
  afterAll(() => tmp.cleanup());

  it('reads all 54 tests with unique, stable ids and the sensors whose audio is present', () => {
    const ids = new Set<string>();
    let sensors = 0;
    for (const fp of readdirSync(root)) {
      for (const test of readdirSync(join(root, fp))) {
        const a = readAlertFolder(join(root, fp, test));
        expect(a.format).toBe('research-test');
        expect(a.externalId.startsWith(`${test}@2018-12-19T`)).toBe(true);
        expect(a.weather?.temperatureC).toBeTypeOf('number');
        ids.add(a.externalId);
        sensors += a.sensors.length;
        expect(comparable(readAlertFolder(join(root, fp, test)))).toEqual(comparable(a));
      }
    }
    expect(ids.size).toBe(54);
    expect(sensors).toBe(268);
  });

  it('imports FP1/test_001 through importFolder and shows it in the detail', async () => {
    const core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    try {
      const dir = join(root, 'FP1/test_001');
      const r = await importFolder(core, dir, 'tester');
      expect(r.status).toBe('imported');
      const d = (await core.storePort.read((tx) => tx.alerts.detail(r.alertId!)))!;
      expect(d).toMatchObject({ externalId: 'test_001@2018-12-19T00:49:26.000000Z', coordinates: 'local', sensorCount: 6, weather: { temperatureC: 0 } });
      expect(d.tracks.find((t) => t.sensorId === 'SCP-00-BNG-5567')).toMatchObject({
        position: { x: -11625.3960530303, y: 3373.84941826388, z: -125.0920693662 },
        clipStartUs: 1_545_180_566_000_000,
        clipStartIso: '2018-12-19T00:49:26.000Z',
        clip: { sampleRate: 12000, channels: 1, format: 'pcm16', frames: 120_000 },
      });
      expect(await importFolder(core, dir, 'tester')).toMatchObject({ status: 'duplicate', alertId: r.alertId });
    } finally {
      await core.close();
    }
  });

  it('never reads survey, allpulses or nlos-tuples (real FP1/test_001)', async () => {
    await expectGroundTruthIgnored(join(root, 'FP1/test_001'), 'test_001', join(tmp.dir, 'gt'));
  });

  it('a renamed copy of a real test is still the same alert (the id does not come from the path)', () => {
    const copy = join(tmp.dir, 'renamed', 'whatever');
    cpSync(join(root, 'FP2/test_019'), copy, { recursive: true });
    renameSync(copy, `${copy}-2`);
    expect(readAlertFolder(`${copy}-2`).externalId).toBe(readAlertFolder(join(root, 'FP2/test_019')).externalId);
  });
});
