import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import { newSession } from '../../../src/kernel/session.ts';
import type { DatasetJob, ExportRequest, Project, ProjectClip } from '../../../src/contract/index.ts';
import { exportDataset } from '../../../src/dataset/export.ts';
import { CancelledError, inlineControl, jobsOf } from '../../../src/dataset/jobs.ts';
import { tempDir } from '../../support/temp.ts';
import { auditRows, openBackendCore, type BackendCore } from '../../support/backend-core.ts';
import { backendUnavailable, testBackend } from '../../support/database.ts';
import { ctl, labelRandomly, projectWithClips } from '../../support/dataset.ts';

describe.skipIf(backendUnavailable('exports'))(`exports appear whole or not at all (${testBackend()})`, () => {
  let tmp: ReturnType<typeof tempDir>;
  let backend: BackendCore;
  let core: Core;
  let project: Project;
  let clips: ProjectClip[];
  const req = (outDir: string, format: ExportRequest['format'] = 'audiofolder'): ExportRequest => ({
    projectId: project.id,
    format,
    outDir,
    filter: {},
    audiofolder: { unit: 'label', splitBy: 'sensor', splits: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 'e', allowLeaks: false },
  });
  const leftovers = () => readdirSync(tmp.dir).filter((n) => n.includes('.partial-'));

  beforeEach(async () => {
    tmp = tempDir();
    backend = await openBackendCore(join(tmp.dir, 'data'));
    core = backend.core;
    ({ project, clips } = await projectWithClips(core, join(tmp.dir, 'audio'), { clips: 24 }));
    await labelRandomly(core, project, clips, 5);
  });
  afterEach(async () => {
    await backend.close();
    tmp.cleanup();
  });

  it('refuses a folder that is not empty, a file, a link, or a missing parent, creating nothing', async () => {
    mkdirSync(join(tmp.dir, 'full'));
    writeFileSync(join(tmp.dir, 'full', 'keep.txt'), 'mine');
    writeFileSync(join(tmp.dir, 'afile'), 'x');
    mkdirSync(join(tmp.dir, 'real'));
    symlinkSync(join(tmp.dir, 'real'), join(tmp.dir, 'link'));
    await expect(exportDataset(core, 't', req(join(tmp.dir, 'full')), ctl())).rejects.toThrow(/not empty/);
    await expect(exportDataset(core, 't', req(join(tmp.dir, 'afile')), ctl())).rejects.toThrow(/not a folder/);
    await expect(exportDataset(core, 't', req(join(tmp.dir, 'link')), ctl())).rejects.toThrow(/is a link/);
    await expect(exportDataset(core, 't', req(join(tmp.dir, 'no', 'such', 'dir')), ctl())).rejects.toThrow(/does not exist/);
    expect(readdirSync(join(tmp.dir, 'full'))).toEqual(['keep.txt']);
    expect(readdirSync(join(tmp.dir, 'real'))).toEqual([]);
    expect(leftovers()).toEqual([]);
  });

  it('exports into an existing empty folder', async () => {
    mkdirSync(join(tmp.dir, 'empty'));
    const r = await exportDataset(core, 't', req(join(tmp.dir, 'empty'), 'raven'), ctl());
    expect(r.files).toBe(24 * 2 + 2); // a table and its WAV per clip, a README, the manifest
    expect(readdirSync(join(tmp.dir, 'empty'))).toContain('earwitness-export.json');
  });

  it('cancelled anywhere, leaves neither the folder nor a partial one', async () => {
    for (const stopAt of [0, 30, 119, 120]) {
      const abort = new AbortController();
      const control = inlineControl(abort.signal, (phase, done) => {
        if ((phase === 'write' && done >= stopAt) || (stopAt === 120 && phase === 'finish')) abort.abort();
      });
      const out = join(tmp.dir, `out-${stopAt}`);
      await expect(exportDataset(core, 't', req(out), control)).rejects.toBeInstanceOf(CancelledError);
      expect(existsSync(out)).toBe(false);
      expect(leftovers()).toEqual([]);
    }
    expect(await auditRows(backend.probe, 'dataset.exported')).toHaveLength(0);
  });

  it('refuses to pass on audio that no longer matches its hash, leaving nothing', async () => {
    const victim = clips[5]!;
    const path = core.clips.path(victim.clip.sha256);
    const bytes = core.clips.read(victim.clip.sha256);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    writeFileSync(path, bytes);
    const out = join(tmp.dir, 'out');
    await expect(exportDataset(core, 't', req(out), ctl())).rejects.toThrow(/no longer matches its SHA-256/);
    expect(existsSync(out)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('runs as a job through the contract with progress events and an audit entry; a cancelled job leaves nothing', async () => {
    const trainer = newSession('cli', { name: 'tina', roles: ['trainer'] });
    const seen: DatasetJob[] = [];
    core.events.subscribe((e, p) => e === 'datasetJobProgress' && seen.push((p as { job: DatasetJob }).job));
    const out = join(tmp.dir, 'job-out');
    const started = await core.dispatch(trainer, 'startExport', { projectId: project.id, format: 'audiofolder', outDir: out });
    const jobId = (started as { value: { jobId: string } }).value.jobId;
    const job = await jobsOf(core).settle(jobId);
    expect(job).toMatchObject({ state: 'done', result: { kind: 'export', labels: 120, clips: 24 } });
    expect(seen.some((j) => j.phase === 'write')).toBe(true);
    expect(seen.at(-1)).toMatchObject({ state: 'done' });
    expect(existsSync(join(out, 'README.md'))).toBe(true);
    const audit = await auditRows(backend.probe, 'dataset.exported');
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.payload_json)).toMatchObject({ format: 'audiofolder', labels: 120, outDir: out });

    const out2 = join(tmp.dir, 'job-out-2');
    const s2 = await core.dispatch(trainer, 'startExport', { projectId: project.id, format: 'jsonl', outDir: out2 });
    const id2 = (s2 as { value: { jobId: string } }).value.jobId;
    await core.dispatch(trainer, 'cancelDatasetJob', { jobId: id2 });
    expect(await jobsOf(core).settle(id2)).toMatchObject({ state: 'cancelled' });
    expect(existsSync(out2)).toBe(false);
    expect(await core.dispatch(trainer, 'startExport', { projectId: project.id, format: 'csv', outDir: out2 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(
      await core.dispatch(trainer, 'startExport', {
        projectId: project.id,
        format: 'audiofolder',
        outDir: out2,
        audiofolder: { splits: { train: 0.9, validation: 0.9, test: 0 } },
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await core.dispatch(trainer, 'getDatasetJob', { jobId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('stops running jobs when the core closes', async () => {
    const trainer = newSession('cli', { name: 'tina', roles: ['trainer'] });
    const out = join(tmp.dir, 'closing');
    const s = await core.dispatch(trainer, 'startExport', { projectId: project.id, format: 'audiofolder', outDir: out });
    const jobId = (s as { value: { jobId: string } }).value.jobId;
    const registry = jobsOf(core);
    await backend.closeCore();
    expect(registry.get(jobId).state).toBe('cancelled');
    expect(existsSync(out)).toBe(false);
  });
});
