import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore, testSql } from '../../support/test-core.ts';
import { startBackgroundWork } from '../../../src/core/background.ts';
import { dataPaths } from '../../../src/kernel/paths.ts';
import { startInboxWatcher, type InboxWatcher } from '../../../src/ingest/inbox.ts';
import { tempDir } from '../../support/temp.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';

describe('watched inbox', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let inbox: string;
  let watcher: InboxWatcher;
  let nowUs = 1_800_000_000_000_000;
  const clock = { nowUs: () => nowUs };
  const counts = async () =>
    await testSql(core).row(
      'SELECT (SELECT count(*) FROM alerts) alerts, (SELECT count(*) FROM alert_sensors) sensors, (SELECT count(*) FROM audit_log) audit',
    );

  beforeEach(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data'), clock });
    inbox = dataPaths(core.config.dataDir).inbox;
    // A timer this long never fires during a test: polls are driven by hand.
    watcher = startInboxWatcher(core, { dir: inbox, actor: 'tester', pollMs: 3_600_000, quietMs: 30_000 });
  });
  afterEach(async () => {
    watcher.stop();
    await core.close();
    tmp.cleanup();
  });

  it('does not take a folder while it is still being copied, and imports it once it is complete and stable', async () => {
    const { dir: source } = writeSimpleBundle(join(tmp.dir, 'source'), { sensors: 4 });
    const target = join(inbox, 'incoming-1');
    mkdirSync(target);
    // The manifest first, then the clips one by one, the last one in two halves.
    cpSync(join(source, 'alert.json'), join(target, 'alert.json'));
    expect(await watcher.poll()).toEqual([]);
    cpSync(join(source, 'S-001.wav'), join(target, 'S-001.wav'));
    expect(await watcher.poll()).toEqual([]);
    cpSync(join(source, 'S-002.wav'), join(target, 'S-002.wav'));
    cpSync(join(source, 'S-003.wav'), join(target, 'S-003.wav'));
    const last = readFileSync(join(source, 'S-004.wav'));
    writeFileSync(join(target, 'S-004.wav'), last.subarray(0, last.length >> 1));
    expect(await watcher.poll()).toEqual([]);
    writeFileSync(join(target, 'S-004.wav'), last);
    expect(await watcher.poll()).toEqual([]);
    expect(await counts()).toMatchObject({ alerts: 0 });
    const [outcome] = await watcher.poll();
    expect(outcome).toMatchObject({ status: 'imported', movedTo: join(inbox, 'imported', 'incoming-1') });
    expect((await core.storePort.read((tx) => tx.alerts.detail(outcome!.alertId!)))!.tracks).toHaveLength(4);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(join(inbox, 'imported', 'incoming-1')).sort()).toEqual(['S-001.wav', 'S-002.wav', 'S-003.wav', 'S-004.wav', 'alert.json']);
  });

  it('never looks at a hidden folder, and takes it after the rename', async () => {
    writeSimpleBundle(join(inbox, '.copying'));
    expect(await watcher.poll()).toEqual([]);
    expect(await watcher.poll()).toEqual([]);
    renameSync(join(inbox, '.copying'), join(inbox, 'done'));
    expect(await watcher.poll()).toEqual([]);
    expect(await watcher.poll()).toMatchObject([{ status: 'imported' }]);
  });

  it('moves a bad bundle to refused/ with the reason beside it, and writes nothing to the database', async () => {
    writeSimpleBundle(join(inbox, 'bad'), { mutate: (a) => ((a.sensors as { clip: string }[])[1]!.clip = '../../escape.wav') });
    const before = await counts();
    await watcher.poll();
    const [outcome] = await watcher.poll();
    expect(outcome).toMatchObject({ status: 'refused', alertId: null, movedTo: join(inbox, 'refused', 'bad') });
    expect(await counts()).toEqual(before);
    expect(await counts()).toMatchObject({ alerts: 0, sensors: 0, audit: 0 });
    const reason = readFileSync(join(inbox, 'refused', 'bad.reason.txt'), 'utf8');
    expect(reason).toMatch(/^refused \d{4}-\d\d-\d\dT/);
    expect(reason).toContain("climbs out of the bundle with '..'");
    expect(readdirSync(join(inbox, 'refused', 'bad'))).toContain('alert.json'); // kept as it came
  });

  it('refuses broken JSON and a loose file, and never overwrites an earlier refusal of the same name', async () => {
    mkdirSync(join(inbox, 'x'));
    writeFileSync(join(inbox, 'x', 'alert.json'), '{"format": "acoustic-alert/1", ');
    await watcher.poll();
    expect(await watcher.poll()).toMatchObject([{ status: 'refused', movedTo: join(inbox, 'refused', 'x') }]);
    mkdirSync(join(inbox, 'x'));
    writeFileSync(join(inbox, 'x', 'alert.json'), '[]');
    writeFileSync(join(inbox, 'notes.txt'), 'hello');
    await watcher.poll();
    const outcomes = await watcher.poll();
    expect(outcomes.map((o) => o.movedTo).sort()).toEqual([join(inbox, 'refused', 'notes.txt'), join(inbox, 'refused', 'x-2')]);
    expect(readFileSync(join(inbox, 'refused', 'notes.txt.reason.txt'), 'utf8')).toMatch(/not a folder/);
    expect(readFileSync(join(inbox, 'refused', 'x.reason.txt'), 'utf8')).toMatch(/not valid JSON/);
    expect(await counts()).toMatchObject({ alerts: 0 });
  });

  it('moves a bundle imported before to imported/ as a duplicate, changing nothing', async () => {
    const { dir } = writeSimpleBundle(join(tmp.dir, 'b'));
    cpSync(dir, join(inbox, 'first'), { recursive: true });
    await watcher.poll();
    expect(await watcher.poll()).toMatchObject([{ status: 'imported' }]);
    const after = await counts();
    cpSync(dir, join(inbox, 'again'), { recursive: true });
    await watcher.poll();
    expect(await watcher.poll()).toMatchObject([{ status: 'duplicate', movedTo: join(inbox, 'imported', 'again') }]);
    expect(await counts()).toEqual(after);
  });

  it('waits for a folder without alert.json to stay quiet before it tries it', async () => {
    mkdirSync(join(inbox, 'wavs'));
    writeFileSync(join(inbox, 'wavs', 'a.wav'), 'RIFF');
    await watcher.poll();
    nowUs += 10_000_000;
    expect(await watcher.poll()).toEqual([]);
    nowUs += 25_000_000;
    expect(await watcher.poll()).toMatchObject([{ status: 'refused', movedTo: join(inbox, 'refused', 'wavs') }]);
  });

  it('polls on its own when started with the background work', async () => {
    await core.close();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data2') });
    const work = startBackgroundWork(core, { demo: false, inboxOptions: { pollMs: 20 } });
    expect(work.demo).toBeNull();
    expect(core.demoRunning).toBe(false);
    writeSimpleBundle(join(dataPaths(core.config.dataDir).inbox, 'dropped'));
    const deadline = Date.now() + 5000;
    while ((await core.storePort.read((tx) => tx.alerts.list('all', 10))).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await core.storePort.read((tx) => tx.alerts.list('all', 10))).toHaveLength(1);
    expect(existsSync(join(dataPaths(core.config.dataDir).inbox, 'imported', 'dropped'))).toBe(true);
  });
});
