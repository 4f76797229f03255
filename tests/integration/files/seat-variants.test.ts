import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../../src/audio/wav.ts';
import type { DeliveredFile, MethodOutput } from '../../../src/contract/index.ts';
import type { OpenPurpose, SaveRequest } from '../../../src/kernel/desktop-bridge.ts';
import type { Session } from '../../../src/kernel/session.ts';
import { jobsOf } from '../../../src/dataset/jobs.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { adminClient, ADMIN, folderFiles, PERSON_PASSWORD, personClient, type ApiClient } from '../../support/host.ts';
import { testBackend } from '../../support/database.ts';
import { inProcessHost } from '../../support/inproc-host.ts';
import { colouredTiles, writeMbtiles } from '../../support/mbtiles.ts';
import { readZip } from '../../support/zip.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const downloadId = (f: DeliveredFile) => {
  if (f.kind !== 'download') throw new Error(`expected a download, got ${f.kind}`);
  return f.downloadId;
};

describe('what a seat does without paths: uploads in, downloads out, over the real host', () => {
  let h: Awaited<ReturnType<typeof inProcessHost>>;
  let admin: ApiClient;
  let tina: ApiClient;
  let audrey: ApiClient;
  let alertId: number;
  let projectId: number;
  let clipId: number;

  beforeAll(async () => {
    h = await inProcessHost();
    admin = await adminClient(h);
    tina = await personClient(h, 'tina', ['trainer']);
    audrey = await personClient(h, 'audrey', ['auditor']);
    const src = join(h.tmp, 'src');
    writeSimpleBundle(join(src, 'bundles', 'north', 'UP-1'), { id: 'UP-1' });
    writeSimpleBundle(join(src, 'bundles', 'south', 'UP-2'), { id: 'UP-2' });
    mkdirSync(join(src, 'bundles', 'notes'));
    writeFileSync(join(src, 'bundles', 'notes', 'readme.txt'), 'not an alert');
    const { outcomes } = await admin.importFolders([join(src, 'bundles')]);
    expect(outcomes.map((o) => [o.path, o.status])).toEqual([
      ['bundles/north/UP-1', 'imported'],
      ['bundles/south/UP-2', 'imported'],
    ]);
    expect(JSON.stringify(outcomes)).not.toContain(h.dataDir);
    alertId = outcomes[0]!.alertId!;
    projectId = (await tina.call('createProject', { name: 'Uploads' })).id;
    clipId = (await tina.call('addAlertsToProject', { projectId, alertIds: [alertId] })).added[0]!.id;
  });
  afterAll(() => h.close());

  it('imports the alerts of an upload whose files sit at its top (a bundle chosen file by file), and says when there is none', async () => {
    writeSimpleBundle(join(h.tmp, 'loose'), { id: 'UP-3' });
    const files = readdirSync(join(h.tmp, 'loose')).map((name) => ({ name, bytes: readFileSync(join(h.tmp, 'loose', name)) }));
    const uploadId = await admin.upload(files);
    expect((await admin.call('importAlertFiles', { files: { kind: 'upload', uploadId } })).outcomes).toMatchObject([
      { path: '(the upload)', status: 'imported' },
    ]);
    const none = await admin.upload([{ name: 'x/readme.txt', bytes: Buffer.from('hello') }]);
    expect((await admin.call('importAlertFiles', { files: { kind: 'upload', uploadId: none } })).outcomes).toMatchObject([
      { status: 'refused', message: expect.stringContaining('no alert found') },
    ]);
    const rita = await personClient(h, 'rita-t', ['auditor']);
    const up = await rita.upload(files);
    expect(await rita.dispatch('importAlertFiles', { files: { kind: 'upload', uploadId: up } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('reads an uploaded label file onto a clip; an upload of two files is not one label file', async () => {
    const rows = ['0.100000\t0.120000\tmuzzle_blast', '0.300000\t0.320000\techo'].join('\n');
    const uploadId = await tina.upload([{ name: 'labels.txt', bytes: Buffer.from(`${rows}\n`) }]);
    const r = await tina.call('importLabels', { clipId, file: { kind: 'upload', uploadId }, format: 'audacity' });
    expect(r).toMatchObject({ added: 2, format: 'audacity', clipIds: [clipId] });
    const two = await tina.upload([
      { name: 'a.txt', bytes: Buffer.from(rows) },
      { name: 'b.txt', bytes: Buffer.from(rows) },
    ]);
    expect(await tina.dispatch('importLabels', { clipId, file: { kind: 'upload', uploadId: two } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: 'send one file, not 2' },
    });
  });

  it('imports uploaded WAVs as clips named by their path, sites from the folders inside the one chosen, as the command line does', async () => {
    const root = join(h.tmp, 'field');
    mkdirSync(join(root, 'rec-1'), { recursive: true });
    for (const [i, f] of ['rec-1/a.wav', 'b.wav'].entries()) {
      writeFileSync(join(root, f), encodeWav([new Float32Array(800).map((_, k) => Math.sin(k / (3 + i)) * 0.2)], { format: 'pcm16', sampleRate: 8000 }));
    }
    const p = await tina.call('createProject', { name: 'Field audio' });
    const uploadId = await tina.upload(folderFiles(root));
    const { jobId } = await tina.call('startAudioFileImport', { projectId: p.id, files: { kind: 'upload', uploadId } });
    const job = await jobsOf(h.core).settle(jobId);
    expect(job).toMatchObject({ state: 'done', result: { imported: 2 } });
    const { clips } = await tina.call('listProjectClips', { projectId: p.id });
    expect(clips.map((c) => [c.name, c.site]).sort()).toEqual([
      ['field/b.wav', 'field'],
      ['field/rec-1/a.wav', 'rec-1'],
    ]);
    const entry = (await h.core.storePort.read((tx) => tx.audit.page(1, 10_000))).filter((e) => e.action === 'dataset.audio.imported').at(-1)!;
    expect(JSON.parse(entry.payload_json).paths).toEqual(['field']);
    expect(await tina.dispatch('startAudioFileImport', { projectId: p.id, files: { kind: 'upload', uploadId } })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('exports a data set as a zip download holding the same files as the command line folder', async () => {
    const { jobId } = await tina.call('startExportArchive', { projectId, format: 'jsonl', to: { kind: 'download' } });
    const job = await jobsOf(h.core).settle(jobId);
    expect(job.state).toBe('done');
    const result = job.result as Extract<MethodOutput<'getDatasetJob'>['result'], { kind: 'export' }>;
    expect(result.outDir).toBeNull();
    const archive = result.archive!;
    expect(archive).toMatchObject({ kind: 'download', contentType: 'application/zip', fileName: expect.stringMatching(/^Uploads-jsonl-\d{8}-\d{6}\.zip$/) });
    const got = await tina.download(downloadId(archive));
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/zip');
    expect(sha(got.bytes)).toBe(archive.sha256);
    const entries = await readZip(got.bytes);
    const top = archive.fileName.replace(/\.zip$/, '');
    expect([...entries.keys()].sort()).toEqual([`${top}/earwitness-export.json`, `${top}/labels.jsonl`]);
    expect(entries.get(`${top}/labels.jsonl`)!.toString('utf8').trim().split('\n')).toHaveLength(2);
    const entry = (await h.core.storePort.read((tx) => tx.audit.page(1, 10_000))).filter((e) => e.action === 'dataset.exported').at(-1)!;
    expect(JSON.parse(entry.payload_json)).toMatchObject({ archive: archive.fileName, archiveSha256: archive.sha256, to: 'download' });
    expect(JSON.parse(entry.payload_json).outDir).toBeUndefined();
    // Someone else's seat cannot take it.
    expect((await audrey.download(downloadId(archive))).status).toBe(404);
  });

  it('the chain, the statistics and the report download as files whose hashes the receipt and the log quote', async () => {
    const chain = await audrey.call('exportAuditFile', { format: 'jsonl', to: { kind: 'download' } });
    const bytes = (await audrey.download(downloadId(chain.file))).bytes;
    expect(chain.receipt).toMatchObject({ path: chain.file.fileName, fileSha256: sha(bytes), bytes: bytes.byteLength });
    expect(bytes.toString('utf8').trim().split('\n').at(-1)).toContain(chain.receipt.headHash);

    const stats = await audrey.call('exportAuditStatsFile', { fromUs: 0, toUs: Date.now() * 1000, to: { kind: 'download' } });
    expect((await audrey.download(downloadId(stats.file))).bytes.toString('utf8')).toContain('section,reviewer,metric');

    const report = await audrey.call('saveAuditReportFile', { alertId, to: { kind: 'download' } });
    const html = (await audrey.download(downloadId(report.file))).bytes;
    expect(sha(html)).toBe(report.reportSha256);
    expect(report.file).toMatchObject({ contentType: 'text/html; charset=utf-8', fileName: expect.stringMatching(/\.html$/) });
    expect(await audrey.dispatch('saveAuditReportFile', { alertId, format: 'pdf', to: { kind: 'download' } })).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
  });

  it('an uploaded MBTiles file becomes the base layer, kept in the data folder; a bad one is refused and not kept', async () => {
    const file = join(h.tmp, 'city.mbtiles');
    writeMbtiles(file, { tiles: colouredTiles(1) });
    const junk = await admin.upload([{ name: 'junk.mbtiles', bytes: Buffer.from('not sqlite'.repeat(100)) }]);
    expect(await admin.dispatch('setBaseLayer', { baseLayer: { kind: 'mbtiles', file: { kind: 'upload', uploadId: junk } } })).toMatchObject({
      ok: false,
      error: { code: 'bad_file' },
    });
    expect(existsSync(join(h.dataDir, 'maps')) ? readdirSync(join(h.dataDir, 'maps')) : []).toEqual([]);
    const uploadId = await admin.upload([{ name: 'city.mbtiles', bytes: readFileSync(file) }]);
    const s = await admin.call('setBaseLayer', { baseLayer: { kind: 'mbtiles', file: { kind: 'upload', uploadId } } });
    expect(s.source.available).toBe(true);
    expect(readdirSync(join(h.dataDir, 'maps'))).toEqual([`${sha(readFileSync(file))}.mbtiles`]);
    expect((await admin.call('getTile', { z: 1, x: 1, y: 0 })).tile?.mime).toBe('image/png');
    await admin.call('setBaseLayer', { baseLayer: { kind: 'plain' } });
    expect(readdirSync(join(h.dataDir, 'maps'))).toEqual([]);
    expect(await tina.dispatch('setBaseLayer', { baseLayer: { kind: 'plain' } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe("the desktop app's grants: the path stays in the core, the window gets an id", () => {
  let h: Awaited<ReturnType<typeof inProcessHost>>;
  let alertId: number;
  let chosen: { open: string[] | null; save: string | null };
  let audrey: Session;
  let other: Session;
  beforeAll(async () => {
    h = await inProcessHost();
    await adminClient(h);
    await personClient(h, 'audrey', ['auditor']);
    const cli = h.core.cliSession();
    alertId = (await h.core.call(cli, 'importPaths', { paths: [writeSimpleBundle(join(h.tmp, 'b'), { id: 'GR-1' }).dir] })).outcomes[0]!.alertId!;
    chosen = { open: null, save: null };
    h.core.attachDesktop({
      chooseOpenPaths: async (_s: Session, _p: OpenPurpose) => chosen.open,
      chooseSavePath: async (_s: Session, _r: SaveRequest) => chosen.save,
      printPdf: async () => new TextEncoder().encode('%PDF-1.7\n% printed by the shell\n'),
    });
    audrey = h.core.openSession('electron');
    await h.core.call(audrey, 'signIn', { name: 'audrey', password: PERSON_PASSWORD });
    other = h.core.openSession('electron');
    await h.core.call(other, 'signIn', { name: ADMIN.name, password: ADMIN.password });
  });
  afterAll(() => h.close());

  const saveGrant = async (session: Session, purpose: SaveRequest['purpose'], path: string, ext: string) => {
    chosen.save = path;
    const g = await h.core.call(session, 'choosePath', { mode: 'save', purpose, defaultName: `x.${ext}`, extensions: [ext] });
    expect(JSON.stringify(g)).not.toContain(h.tmp);
    return g.grantId!;
  };

  it('writes a report where the save dialog chose, once; as PDF through the shell', async () => {
    const target = join(h.tmp, 'out', 'report.pdf');
    mkdirSync(join(h.tmp, 'out'));
    const grantId = await saveGrant(audrey, 'report', target, 'pdf');
    const r = await h.core.call(audrey, 'saveAuditReportFile', { alertId, format: 'pdf', to: { kind: 'grant', grantId } });
    expect(r.file).toEqual({ kind: 'saved', fileName: 'report.pdf', bytes: statSync(target).size, sha256: sha(readFileSync(target)) });
    expect(readFileSync(target, 'utf8')).toContain('%PDF');
    expect(await h.core.dispatch(audrey, 'saveAuditReportFile', { alertId, to: { kind: 'grant', grantId } })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it("refuses another window's grant, a grant of another purpose, and a save over the data folder's own files, before any work", async () => {
    const entries = async () => await h.core.storePort.read((tx) => tx.audit.count());
    const grantId = await saveGrant(audrey, 'statistics', join(h.tmp, 'stats.csv'), 'csv');
    const before = await entries();
    expect(await h.core.dispatch(other, 'exportAuditStatsFile', { fromUs: 0, toUs: 1e15, to: { kind: 'grant', grantId } })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await h.core.dispatch(audrey, 'saveAuditReportFile', { alertId, to: { kind: 'grant', grantId } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await entries()).toBe(before);

    // The SQLite file in the data folder (on PostgreSQL the folder holds no database to overwrite).
    if (testBackend() === 'sqlite') {
      const db = join(h.dataDir, 'earwitness.sqlite');
      const dbBefore = { bytes: sha(readFileSync(db)), mtimeMs: statSync(db).mtimeMs };
      const onDb = await saveGrant(audrey, 'report', db, 'html');
      expect(await h.core.dispatch(audrey, 'saveAuditReportFile', { alertId, to: { kind: 'grant', grantId: onDb } })).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: expect.stringContaining('the database') },
      });
      expect({ bytes: sha(readFileSync(db)), mtimeMs: statSync(db).mtimeMs }).toEqual(dbBefore);
      expect(await entries()).toBe(before);
    }

    chosen.open = [join(h.tmp, 'b', 'alert.json')];
    const open = await h.core.call(audrey, 'choosePath', { mode: 'open', purpose: 'labelFile' });
    expect(open.names).toEqual(['alert.json']);
    expect(await h.core.dispatch(audrey, 'exportAuditFile', { to: { kind: 'grant', grantId: open.grantId! } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it('saves the chain and a data set zip where the dialogs chose', async () => {
    const chainPath = join(h.tmp, 'chain.jsonl');
    const chain = await h.core.call(audrey, 'exportAuditFile', { to: { kind: 'grant', grantId: await saveGrant(audrey, 'audit-chain', chainPath, 'jsonl') } });
    expect(chain.receipt.fileSha256).toBe(sha(readFileSync(chainPath)));
    expect(chain.receipt.path).toBe('chain.jsonl');

    const cli = h.core.cliSession();
    const project = await h.core.call(cli, 'createProject', { name: 'Desk' });
    await h.core.call(cli, 'addAlertsToProject', { projectId: project.id, alertIds: [alertId] });
    const trainer = h.core.cliSession();
    const zipPath = join(h.tmp, 'desk.zip');
    const { jobId } = await h.core.call(trainer, 'startExportArchive', {
      projectId: project.id,
      format: 'raven',
      to: { kind: 'grant', grantId: await saveGrant(trainer, 'dataset', zipPath, 'zip') },
    });
    const job = await jobsOf(h.core).settle(jobId);
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    const entries = await readZip(readFileSync(zipPath));
    expect([...entries.keys()].some((n) => n.endsWith('/earwitness-export.json'))).toBe(true);
  });
});
