import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeSync, ftruncateSync, mkdirSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Core } from '../../../src/core/core.ts';
import { newSession, type Session } from '../../../src/kernel/session.ts';
import type { DatasetJob, ImportAudioResult, Project } from '../../../src/contract/index.ts';
import { importAudio } from '../../../src/dataset/import-audio.ts';
import { CancelledError, inlineControl, jobsOf } from '../../../src/dataset/jobs.ts';
import { createProject } from '../../../src/dataset/projects.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { tempDir } from '../../support/temp.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { ctl, makeWav, writeWav } from '../../support/dataset.ts';
import { auditRows, openBackendCore, portSnapshot, portTableCounts, type BackendCore } from '../../support/backend-core.ts';
import { backendUnavailable, testBackend } from '../../support/database.ts';
import { validPcm16 } from '../../support/riff.ts';

describe.skipIf(backendUnavailable('audio imports'))(`importing plain audio and alerts into a project (${testBackend()})`, () => {
  let tmp: ReturnType<typeof tempDir>;
  let backend: BackendCore;
  let core: Core;
  let project: Project;
  let trainer: Session;
  const audio = () => join(tmp.dir, 'audio');
  const run = (paths: string[], o: { onBadFile?: 'skip' | 'abort'; site?: string } = {}) =>
    importAudio(core, 'tina', { projectId: project.id, paths, onBadFile: o.onBadFile ?? 'skip', site: o.site }, ctl());
  const byPath = (r: ImportAudioResult) => Object.fromEntries(r.files.map((f) => [f.path, f]));

  beforeEach(async () => {
    tmp = tempDir();
    backend = await openBackendCore(join(tmp.dir, 'data'));
    core = backend.core;
    project = await createProject(core, 'tina', { name: 'P', description: '', taxonomy: 'default' });
    trainer = newSession('cli', { name: 'tina', roles: ['trainer'] });
  });
  afterEach(async () => {
    await backend.close();
    tmp.cleanup();
  });

  it('walks folders recursively, names clips by their path, takes the top folder as site and the folder as sensor', async () => {
    writeWav(join(audio(), 'north', 'rec-1', 'a.wav'), { seed: 1 });
    writeWav(join(audio(), 'north', 'rec-1', 'deeper', 'b.WAV'), { seed: 2, channels: 2, format: 'pcm24', sampleRate: 48000 });
    writeWav(join(audio(), 'c.wave'), { seed: 3, format: 'float32' });
    writeFileSync(join(audio(), 'notes.txt'), 'field notes');
    const r = await run([audio()]);
    expect(r).toMatchObject({ imported: 3, refused: 0, duplicates: 0, ignored: 1, aborted: false });
    const clips = await core.storePort.read((tx) => tx.datasetProjects.clips(project.id, 100, 0));
    expect(clips.map((c) => [c.name, c.site, c.sensorKey, c.origin, c.clipStartUs])).toEqual([
      ['audio/c.wave', 'audio', 'audio', 'audio', null],
      ['audio/north/rec-1/a.wav', 'north', 'audio/north/rec-1', 'audio', null],
      ['audio/north/rec-1/deeper/b.WAV', 'north', 'audio/north/rec-1/deeper', 'audio', null],
    ]);
    expect(clips[2]!.clip).toMatchObject({ channels: 2, sampleRate: 48000, format: 'pcm24' });
    for (const c of clips) expect(core.clips.verify(c.clip.sha256)).toBe(true);
    const entries = (await auditRows(backend.probe, 'dataset.audio.imported')).filter((e) => e.entity === `project:${project.id}`);
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]!.payload_json).clips).toHaveLength(3);
  });

  it('reports each bad file with its reason, imports the good ones, and imports nothing when told to abort', async () => {
    writeWav(join(audio(), 'good.wav'), { seed: 1 });
    writeFileSync(join(audio(), 'text.wav'), 'this is not audio');
    writeFileSync(join(audio(), 'truncated.wav'), validPcm16(64).subarray(0, 60));
    writeFileSync(join(audio(), 'empty.wav'), '');
    const nan = makeWav({ format: 'float32', frames: 10 });
    nan.writeFloatLE(NaN, 44 + 4 * 3);
    writeFileSync(join(audio(), 'nan.wav'), nan);
    const before = await portSnapshot(backend);
    const aborted = await run([audio()], { onBadFile: 'abort' });
    expect(aborted).toMatchObject({ aborted: true, imported: 0, refused: 4 });
    expect((await portSnapshot(backend)).tables).toEqual(before.tables);

    const r = await run([audio()]);
    expect(r).toMatchObject({ imported: 1, refused: 4 });
    const files = byPath(r);
    expect(files['audio/text.wav']!.message).toMatch(/does not start with RIFF/);
    expect(files['audio/truncated.wav']!.message).toMatch(/truncated/);
    expect(files['audio/empty.wav']!.message).toMatch(/too short/);
    expect(files['audio/nan.wav']!.message).toMatch(/NaN/);
  });

  it('follows links inside the folder once, refuses links leading out, survives link loops, and refuses names with control characters', async () => {
    writeWav(join(audio(), 'a', 'one.wav'), { seed: 1 });
    writeWav(join(tmp.dir, 'outside', 'secret.wav'), { seed: 2 });
    symlinkSync(join(audio(), 'a'), join(audio(), 'a', 'loop'));
    symlinkSync(audio(), join(audio(), 'a', 'up'));
    symlinkSync(join(audio(), 'a', 'one.wav'), join(audio(), 'alias.wav'));
    symlinkSync(join(tmp.dir, 'outside'), join(audio(), 'escape'));
    symlinkSync(join(tmp.dir, 'outside', 'secret.wav'), join(audio(), 'secret.wav'));
    symlinkSync(join(tmp.dir, 'nowhere.wav'), join(audio(), 'broken.wav'));
    writeWav(join(audio(), 'bad\nname.wav'), { seed: 3 });
    const fifo = mkfifo(join(audio(), 'pipe.wav'));
    const r = await run([audio()]);
    expect(r.imported).toBe(1);
    const files = byPath(r);
    expect(files['audio/escape']!.message).toMatch(/link leading out/);
    expect(files['audio/secret.wav']!.message).toMatch(/link leading out/);
    expect(files['audio/broken.wav']!.message).toMatch(/broken link/);
    expect(files[JSON.stringify('audio/bad\nname.wav')]!.message).toMatch(/control characters/);
    if (fifo) expect(files['audio/pipe.wav']!.message).toMatch(/not a regular file/);
    else console.warn('skipping the named-pipe case: mkfifo is not available here');
    expect((await core.storePort.read((tx) => tx.datasetProjects.clips(project.id, 10, 0))).map((c) => c.name)).toEqual(['audio/alias.wav']);
  });

  it('imports the same audio once: twins in one import, and again later, are duplicates', async () => {
    const bytes = makeWav({ seed: 5 });
    mkdirSync(join(audio(), 'x'), { recursive: true });
    writeFileSync(join(audio(), 'first.wav'), bytes);
    writeFileSync(join(audio(), 'x', 'copy.wav'), bytes);
    const r1 = await run([audio()]);
    expect(r1).toMatchObject({ imported: 1, duplicates: 1 });
    const r2 = await run([join(audio(), 'x', 'copy.wav')]);
    expect(r2).toMatchObject({ imported: 0, duplicates: 1 });
    writeWav(join(audio(), 'x', 'single.wav'), { seed: 6 });
    expect((await run([join(audio(), 'x', 'single.wav')])).imported).toBe(1);
    expect((await core.storePort.read((tx) => tx.datasetProjects.clips(project.id, 10, 0))).find((c) => c.name === 'single.wav')).toMatchObject({
      site: 'x',
      sensorKey: 'x',
    });
    expect(r2.files[0]!.message).toMatch(/already in the project as clip/);
    // Another project takes the same recording: one clip file, two project clips.
    const other = await createProject(core, 'tina', { name: 'Q', description: '', taxonomy: 'empty' });
    const r3 = await importAudio(core, 'tina', { projectId: other.id, paths: [audio()], onBadFile: 'skip' }, ctl());
    expect(r3.imported).toBe(2);
    expect((await portTableCounts(backend.probe)).clips).toBe(2);
  });

  it('refuses a file over the size limit without reading it (a sparse 300 MB file here)', async () => {
    mkdirSync(audio(), { recursive: true });
    const fd = openSync(join(audio(), 'huge.wav'), 'w');
    ftruncateSync(fd, 300 * 1024 * 1024);
    closeSync(fd);
    writeWav(join(audio(), 'small.wav'), { seed: 1 });
    const r = await run([audio()]);
    expect(r).toMatchObject({ imported: 1, refused: 1 });
    expect(byPath(r)['audio/huge.wav']!.message).toMatch(/314572800 bytes is over the 268435456-byte limit/);
  });

  it('refuses paths that do not exist or are not WAV files, with a reason each', async () => {
    writeFileSync(join(tmp.dir, 'x.mp3'), 'id3');
    const r = await run([join(tmp.dir, 'missing'), join(tmp.dir, 'x.mp3'), 'with\0nul']);
    expect(r.files.map((f) => f.message)).toEqual(['does not exist (or is a broken link)', 'is not a .wav file', 'the path holds a NUL byte']);
  });

  it('cancelled at any point before its transaction, leaves no row behind', async () => {
    for (let i = 0; i < 40; i++) writeWav(join(audio(), `s${i % 4}`, `f${i}.wav`), { seed: i + 1, frames: 4000 });
    const before = (await portSnapshot(backend)).tables;
    for (const stopAt of ['scan', 'read', 'commit-check']) {
      const abort = new AbortController();
      let reads = 0;
      const control = inlineControl(abort.signal, (phase, done) => {
        if (stopAt === 'scan' && phase === 'scan') abort.abort();
        if (stopAt === 'read' && phase === 'read' && done === 20) abort.abort();
        if (stopAt === 'commit-check' && phase === 'read' && done === 40) abort.abort();
        if (phase === 'read') reads = done;
      });
      await expect(importAudio(core, 'tina', { projectId: project.id, paths: [audio()], onBadFile: 'skip' }, control)).rejects.toBeInstanceOf(CancelledError);
      expect((await portSnapshot(backend)).tables, stopAt).toEqual(before);
      if (stopAt === 'read') expect(reads).toBe(20);
    }
    expect((await run([audio()])).imported).toBe(40);
  });

  it('runs as a job through the contract: progress events, the result, and cancel', async () => {
    for (let i = 0; i < 30; i++) writeWav(join(audio(), `f${i}.wav`), { seed: i + 1, frames: 2000 });
    const progress: DatasetJob[] = [];
    core.events.subscribe((e, p) => {
      if (e === 'datasetJobProgress') progress.push((p as { job: DatasetJob }).job);
    });
    const started = await core.dispatch(trainer, 'startAudioImport', { projectId: project.id, paths: [audio()] });
    expect(started.ok).toBe(true);
    const jobId = (started as { value: { jobId: string } }).value.jobId;
    const job = await jobsOf(core).settle(jobId);
    expect(job).toMatchObject({ state: 'done', kind: 'import-audio', result: { imported: 30 } });
    expect(progress.at(-1)).toMatchObject({ id: jobId, state: 'done' });
    expect(new Set(progress.map((p) => p.phase))).toEqual(new Set(['starting', 'scan', 'read', 'commit']));
    const fetched = await core.dispatch(trainer, 'getDatasetJob', { jobId });
    expect(fetched).toMatchObject({ ok: true, value: { state: 'done' } });

    const again = await core.dispatch(trainer, 'startAudioImport', { projectId: project.id, paths: [audio()] });
    const id2 = (again as { value: { jobId: string } }).value.jobId;
    const cancel = await core.dispatch(trainer, 'cancelDatasetJob', { jobId: id2 });
    expect(cancel).toMatchObject({ ok: true, value: { cancelled: true } });
    expect(await jobsOf(core).settle(id2)).toMatchObject({ state: 'cancelled', result: null });
    expect(
      await core.dispatch(newSession('cli', { name: 'r', roles: ['reviewer'] }), 'startAudioImport', { projectId: project.id, paths: [audio()] }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('adds alert tracks as clips that keep sensor, channel and clip start, once', async () => {
    const a = await importFolder(core, writeSimpleBundle(join(tmp.dir, 'bundle')).dir, 'ingest');
    const r = await core.dispatch(trainer, 'addAlertsToProject', { projectId: project.id, alertIds: [a.alertId] });
    expect(r).toMatchObject({ ok: true, value: { alreadyPresent: 0 } });
    const added = (r as { value: { added: { name: string; sensorId: string; site: string; clipStartUs: number; origin: string }[] } }).value.added;
    expect(added.map((c) => [c.name, c.sensorId, c.site, c.origin])).toEqual(
      [1, 2, 3, 4].map((i) => [`test-network/TEST-0001/S-00${i}`, `S-00${i}`, 'test-network', 'alert']),
    );
    expect(added[0]!.clipStartUs).toBe(1_763_600_000_000_000);
    const again = await core.dispatch(trainer, 'addAlertsToProject', { projectId: project.id, alertIds: [a.alertId] });
    expect(again).toMatchObject({ ok: true, value: { added: [], alreadyPresent: 4 } });
    const before = (await portSnapshot(backend)).tables;
    expect(await core.dispatch(trainer, 'addAlertsToProject', { projectId: project.id, alertIds: [a.alertId, 999] })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect((await portSnapshot(backend)).tables).toEqual(before);
  });
});

function mkfifo(path: string): boolean {
  try {
    execFileSync('mkfifo', [path]);
    return true;
  } catch {
    return false;
  }
}
