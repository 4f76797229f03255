import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { methods, type MethodName, type Role } from '../../../src/contract/index.ts';
import type { Session } from '../../../src/kernel/session.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { adminClient, ADMIN, PERSON_PASSWORD, personClient, type ApiClient } from '../../support/host.ts';
import { inProcessHost } from '../../support/inproc-host.ts';

const PATH_KEYS = new Set(['path', 'paths', 'outDir', 'dir', 'folder', 'directory', 'file', 'files']);

/** Property names of an input schema that hold a string (or strings): what could name a path. */
function stringKeys(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((s) => stringKeys(s, out));
  else if (schema && typeof schema === 'object') {
    const o = schema as Record<string, unknown>;
    if (o.properties && typeof o.properties === 'object') {
      for (const [k, v] of Object.entries(o.properties as Record<string, Record<string, unknown>>)) {
        const items = v.items as Record<string, unknown> | undefined;
        if (v.type === 'string' || items?.type === 'string') out.add(k);
      }
    }
    for (const v of Object.values(o)) stringKeys(v, out);
  }
  return out;
}

describe('the contract declares which methods name files on the core machine', () => {
  it('every method with a path-like string argument is local, and names a path-free seat variant', () => {
    const local: string[] = [];
    for (const [name, spec] of Object.entries(methods)) {
      const keys = [...stringKeys(z.toJSONSchema(spec.input, { io: 'input', unrepresentable: 'any' }))].filter((k) => PATH_KEYS.has(k));
      const isLocal = 'local' in spec && spec.local === true;
      if (keys.length > 0) expect(isLocal, `${name} takes ${keys.join(', ')}`).toBe(true);
      if (!isLocal) continue;
      local.push(name);
      const variant = 'seatVariant' in spec ? spec.seatVariant : undefined;
      expect(variant, name).toBeDefined();
      const v = methods[variant as MethodName];
      expect(v, `${name} -> ${variant}`).toBeDefined();
      expect('local' in v && v.local, `${variant} is for seats`).toBeFalsy();
      expect('roles' in v ? v.roles : undefined).toEqual('roles' in spec ? spec.roles : undefined);
    }
    expect(local.sort()).toEqual([
      'exportAudit',
      'exportAuditStats',
      'exportTransparencyReport',
      'importLabelFile',
      'importPaths',
      'saveAuditReport',
      'setMapSettings',
      'startAudioImport',
      'startExport',
    ]);
  });
});

/** Bytes and modification time of a file, and the names of every file under a folder. */
const fingerprint = (file: string) => ({ bytes: readFileSync(file).toString('base64'), mtimeMs: statSync(file).mtimeMs });
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      out.push(relative(dir, p));
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

describe('a seat passing a path to any formerly path-taking method is refused, and nothing changes', () => {
  let h: Awaited<ReturnType<typeof inProcessHost>>;
  let seats: Record<Role, ApiClient>;
  let alertId: number;
  let projectId: number;
  let clipId: number;
  let files: { db: string; anchors: string; outside: string };

  beforeAll(async () => {
    h = await inProcessHost();
    const admin = await adminClient(h);
    seats = {
      admin,
      reviewer: await personClient(h, 'rita', ['reviewer']),
      auditor: await personClient(h, 'audrey', ['auditor']),
      trainer: await personClient(h, 'tina', ['trainer']),
    };
    const { outcomes } = await admin.importFolders([writeSimpleBundle(join(h.tmp, 'src', 'SEC-1'), { id: 'SEC-1' }).dir]);
    alertId = outcomes[0]!.alertId!;
    projectId = (await seats.trainer.call('createProject', { name: 'Hostile' })).id;
    clipId = (await seats.trainer.call('addAlertsToProject', { projectId, alertIds: [alertId] })).added[0]!.id;
    await seats.auditor.call('verifyAudit', { clips: false }); // writes the anchor file
    files = { db: join(h.dataDir, 'earwitness.sqlite'), anchors: join(h.dataDir, 'audit-anchors.jsonl'), outside: join(h.tmp, 'outside.txt') };
    writeFileSync(files.outside, 'a file of the person running the core\n');
    h.core.store.db.pragma('wal_checkpoint(TRUNCATE)');
  });
  afterAll(() => h.close());

  /** Every local method, aimed at the database, the anchors, a file outside the data folder and a new file. */
  const hostileCalls = (): [MethodName, unknown][] => {
    const targets = [files.db, files.anchors, files.outside, join(h.tmp, 'new-file.html'), `${files.db}-wal`];
    return [
      ['importPaths', { paths: [h.dataDir, h.tmp, ...targets] }],
      ['startAudioImport', { projectId, paths: [h.dataDir, join(h.dataDir, 'clips')] }],
      ...targets.map((path): [MethodName, unknown] => ['importLabelFile', { clipId, path }]),
      ['startExport', { projectId, format: 'jsonl', outDir: join(h.tmp, 'new-export') }],
      ['startExport', { projectId, format: 'jsonl', outDir: join(h.dataDir, 'clips', 'x') }],
      ...targets.flatMap((path): [MethodName, unknown][] => [
        ['exportAudit', { path, overwrite: true }],
        ['exportAuditStats', { fromUs: 0, toUs: Date.now() * 1000, path, overwrite: true }],
        ['saveAuditReport', { alertId, path, format: 'html', overwrite: true }],
        ['setMapSettings', { baseLayer: { kind: 'mbtiles', path } }],
      ]),
    ];
  };

  it.each(['reviewer', 'auditor', 'trainer', 'admin'] as const)('over the loopback host, for the role %s', async (role) => {
    const before = { db: fingerprint(files.db), anchors: fingerprint(files.anchors), outside: fingerprint(files.outside), tree: tree(h.tmp) };
    for (const [method, input] of hostileCalls()) {
      const r = await seats[role].dispatch(method, input as never);
      expect(r, `${method} ${JSON.stringify(input).slice(0, 120)}`).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: expect.stringContaining('only its command line') },
      });
    }
    expect({ db: fingerprint(files.db), anchors: fingerprint(files.anchors), outside: fingerprint(files.outside), tree: tree(h.tmp) }).toEqual(before);
  });

  it.each(['reviewer', 'auditor', 'trainer', 'admin'] as const)('in the desktop app (a window of transport electron), for the role %s', async (role) => {
    const session: Session = h.core.openSession('electron');
    const name = role === 'admin' ? ADMIN.name : { reviewer: 'rita', auditor: 'audrey', trainer: 'tina' }[role];
    await h.core.call(session, 'signIn', { name, password: role === 'admin' ? ADMIN.password : PERSON_PASSWORD });
    const before = { db: fingerprint(files.db), anchors: fingerprint(files.anchors), outside: fingerprint(files.outside), tree: tree(h.tmp) };
    for (const [method, input] of hostileCalls()) {
      expect(await h.core.dispatch(session, method, input), method).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect({ db: fingerprint(files.db), anchors: fingerprint(files.anchors), outside: fingerprint(files.outside), tree: tree(h.tmp) }).toEqual(before);
  });

  it("the command line keeps its paths, but not into the data folder's own files", async () => {
    const cli = h.core.cliSession();
    const before = { db: fingerprint(files.db), anchors: fingerprint(files.anchors), tree: tree(h.dataDir) };
    const own = [files.db, files.anchors, `${files.db}-wal`, `${files.db}-shm`, join(h.dataDir, 'clips', 'x.wav'), join(h.dataDir, 'logs', 'x.log')];
    for (const path of own) {
      for (const [method, input] of [
        ['exportAudit', { path, overwrite: true }],
        ['exportAuditStats', { fromUs: 0, toUs: Date.now() * 1000, path, overwrite: true }],
        ['saveAuditReport', { alertId, path, overwrite: true }],
        ['importLabelFile', { clipId, path }],
        ['setMapSettings', { baseLayer: { kind: 'mbtiles', path } }],
      ] as [MethodName, unknown][]) {
        const r = await h.core.dispatch(cli, method, input);
        expect(r, `${method} ${path}`).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/of the data folder/) } });
      }
    }
    expect(await h.core.dispatch(cli, 'startExport', { projectId, format: 'jsonl', outDir: join(h.dataDir, 'clips', 'set') })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await h.core.dispatch(cli, 'startAudioImport', { projectId, paths: [h.tmp] })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringContaining('holds the data folder') },
    });
    const imported = await h.core.call(cli, 'importPaths', { paths: [h.dataDir, join(h.dataDir, 'clips')] });
    expect(imported.outcomes.map((o) => o.status)).toEqual(['refused', 'refused']);
    expect({ db: fingerprint(files.db), anchors: fingerprint(files.anchors), tree: tree(h.dataDir) }).toEqual(before);

    // Outside the data folder the command line writes where it is told.
    const out = join(h.tmp, 'cli-chain.jsonl');
    const receipt = await h.core.call(cli, 'exportAudit', { path: out });
    expect(receipt.path).toBe(out);
    expect(readFileSync(out, 'utf8')).toContain('"type":"head"');
  });
});
