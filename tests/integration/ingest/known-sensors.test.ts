import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeWav } from '../../../src/audio/wav.ts';
import type { Core } from '../../../src/core/core.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { LocalFrame } from '../../../src/locate/geodesy.ts';
import { formatIsoMicros } from '../../../src/util/time.ts';
import { gunfireAudio, type GunfireScene } from '../../support/gunfire.ts';
import { tempDir } from '../../support/temp.ts';
import { openTestCore } from '../../support/test-core.ts';

// One network: three sensors and K1, 60 m beyond where a shot west of the three has its
// second solution (the geometry of tests/unit/locate/silence.test.ts).
const FRAME = new LocalFrame({ lat: 40.44, lon: -79.99 });
const NETWORK: GunfireScene['sensors'] = [
  { id: 'T1', x: 0, y: 0 },
  { id: 'T2', x: 420, y: 30 },
  { id: 'T3', x: 180, y: 380 },
  { id: 'K1', x: -760, y: -110 },
];
const SHOT = { x: -400, y: 0 };
const HOUR_US = 3600 * 1_000_000;
const T0 = 1_763_600_000_000_000;

/** An acoustic-alert/1 bundle of the network's sensors `ids`, one shot at `at` 1 s into clips starting at startUs. */
function writeAlert(dir: string, id: string, ids: string[], at: { x: number; y: number }, startUs: number): string {
  mkdirSync(dir, { recursive: true });
  const sensors = NETWORK.filter((s) => ids.includes(s.id));
  const audio = gunfireAudio({ sensors, shots: [{ ...at, tS: 1 }], durationS: 6, sampleRate: 16000, clipStartUs: startUs });
  const list = audio.map((a) => {
    writeFileSync(join(dir, `${a.sensorId}.wav`), encodeWav([a.samples], { format: 'pcm16', sampleRate: a.sampleRate }));
    const g = FRAME.toGeo({ x: a.local.x, y: a.local.y, z: 0 });
    return { id: a.sensorId, lat: g.lat, lon: g.lon, clip: `${a.sensorId}.wav`, clipStart: formatIsoMicros(startUs), fullScaleDbSpl: 120 };
  });
  const alert = {
    format: 'acoustic-alert/1',
    id,
    source: 'test-network',
    detectedAt: formatIsoMicros(startUs + 7_000_000),
    machine: { label: 'gunshot', confidence: 0.9, rounds: 1 },
    weather: { temperatureC: 15 },
    coordinates: 'wgs84',
    sensors: list,
  };
  writeFileSync(join(dir, 'alert.json'), JSON.stringify(alert, null, 2));
  return dir;
}

describe("import: the source's other sensors known alive weigh in a three-sensor fix", () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  beforeEach(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
  });
  afterEach(async () => {
    await core.close();
    tmp.cleanup();
  });

  /** Imports an alert K1 took part in, `beforeUs` before the three-sensor alert, then that alert; its newest solution's shot. */
  async function threeSensorShotAfter(beforeUs: number) {
    const earlier = await importFolder(core, writeAlert(join(tmp.dir, 'a'), 'A-1', ['T1', 'T2', 'T3', 'K1'], { x: -200, y: 100 }, T0 - beforeUs), 'tester');
    expect(earlier.status).toBe('imported');
    const r = await importFolder(core, writeAlert(join(tmp.dir, 'b'), 'B-1', ['T1', 'T2', 'T3'], SHOT, T0), 'tester');
    expect(r.status).toBe('imported');
    const d = (await core.storePort.read((tx) => tx.alerts.detail(r.alertId!)))!;
    expect(d.solutions.at(-1)!.shots).toHaveLength(1);
    return d.solutions.at(-1)!.shots[0]!;
  }
  const error = (p: { lat: number; lon: number }) => {
    const e = FRAME.toLocal({ lat: p.lat, lon: p.lon, h: 0 });
    return Math.hypot(e.x - SHOT.x, e.y - SHOT.y);
  };

  it('reports it unambiguous where a sensor seen an hour earlier stands beside its other solution, and says why', async () => {
    const shot = await threeSensorShotAfter(HOUR_US);
    expect(shot.alternative).toBeUndefined();
    // Outside the three sensors the geometry is poor (its ellipse is kilometres long): metres, where the other solution is 300 m off.
    expect(error(shot.position as { lat: number; lon: number })).toBeLessThan(10);
    expect(shot.setAside?.reason).toMatch(/^sensor K1, \d+ m away, heard nothing$/);
  });

  it('leaves it ambiguous where that sensor was last seen three days before: not known to be alive', async () => {
    const shot = await threeSensorShotAfter(72 * HOUR_US);
    expect(shot.alternative).toBeDefined();
    expect(shot.setAside).toBeUndefined();
    const both = [shot.position, shot.alternative!.position] as { lat: number; lon: number }[];
    expect(Math.min(...both.map(error))).toBeLessThan(10);
    expect(Math.max(...both.map(error))).toBeGreaterThan(250);
  });
});
