import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { symlinkSync, writeFileSync } from 'node:fs';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore, testSql } from '../../support/test-core.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { tempDir } from '../../support/temp.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';

describe('acoustic-alert/1 import', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  const rows = async () =>
    await testSql(core).row('SELECT (SELECT count(*) FROM alerts) a, (SELECT count(*) FROM alert_sensors) s, (SELECT count(*) FROM audit_log) l');

  beforeEach(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
  });
  afterEach(async () => {
    await core.close();
    tmp.cleanup();
  });

  it('imports a bundle once, and a second import changes nothing', async () => {
    const { dir } = writeSimpleBundle(join(tmp.dir, 'b1'));
    const first = await importFolder(core, dir, 'tester');
    expect(first.status).toBe('imported');
    const after = await rows();
    const again = await importFolder(core, dir, 'tester');
    expect(again).toMatchObject({ status: 'duplicate', alertId: first.alertId });
    expect(await rows()).toEqual(after);
    const detail = (await core.storePort.read((tx) => tx.alerts.detail(first.alertId!)))!;
    expect(detail.tracks).toHaveLength(4);
    expect(detail.tracks.every((t) => core.clips.verify(t.clip.sha256))).toBe(true);
  });

  it('keeps microseconds of clip start times', async () => {
    const { dir } = writeSimpleBundle(join(tmp.dir, 'b2'), {
      mutate: (a) => ((a.sensors as { clipStart: string }[])[0]!.clipStart = '2026-11-20T03:14:14.123456789Z'),
    });
    const r = await importFolder(core, dir, 'tester');
    const t = (await core.storePort.read((tx) => tx.alerts.detail(r.alertId!)))!.tracks.find((x) => x.sensorId === 'S-001')!;
    expect(t.clipStartUs % 1_000_000).toBe(123457);
    expect(t.clipStartIso).toBe('2026-11-20T03:14:14.123456789Z');
  });

  it.each([
    ['an absolute clip path', (a: Record<string, unknown>) => ((a.sensors as { clip: string }[])[0]!.clip = '/etc/passwd')],
    ['a clip path with ..', (a: Record<string, unknown>) => ((a.sensors as { clip: string }[])[0]!.clip = '../outside.wav')],
    ['a missing clip', (a: Record<string, unknown>) => ((a.sensors as { clip: string }[])[0]!.clip = 'nope.wav')],
    ['an unknown format', (a: Record<string, unknown>) => (a.format = 'acoustic-alert/2')],
    ['a bad time', (a: Record<string, unknown>) => ((a.sensors as { clipStart: string }[])[0]!.clipStart = 'yesterday')],
    ['a prototype-polluting key', (a: Record<string, unknown>) => Object.defineProperty(a, '__proto__', { value: { polluted: 1 }, enumerable: true })],
  ])('refuses %s with a clear message and writes nothing', async (_name, mutate) => {
    const { dir } = writeSimpleBundle(join(tmp.dir, 'bad'), { mutate });
    const before = await rows();
    const r = await importFolder(core, dir, 'tester');
    expect(r.status).toBe('refused');
    expect(r.message.length).toBeGreaterThan(10);
    expect(await rows()).toEqual(before);
  });

  it('refuses a symlinked clip that leads out of the bundle', async () => {
    writeFileSync(join(tmp.dir, 'secret.wav'), 'x');
    const { dir } = writeSimpleBundle(join(tmp.dir, 'link'), { mutate: (a) => ((a.sensors as { clip: string }[])[0]!.clip = 'evil.wav') });
    symlinkSync(join(tmp.dir, 'secret.wav'), join(dir, 'evil.wav'));
    const r = await importFolder(core, dir, 'tester');
    expect(r).toMatchObject({ status: 'refused' });
    expect(r.message).toMatch(/out of the bundle/);
  });
});
