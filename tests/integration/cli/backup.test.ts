import { appendFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { dataPaths } from '../../../src/kernel/paths.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { cli } from '../../support/cli.ts';
import { openTestCore, testSql } from '../../support/test-core.ts';
import { tempDir } from '../../support/temp.ts';

const PUBLISH_APP = fileURLToPath(new URL('../../support/publish-app.ts', import.meta.url));

/** Every file under a folder, relative, with its size: what a refused backup must leave as it was. */
function listing(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listing(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/**
 * `earwitness backup` on a workstation's data folder: a copy that is itself a data folder, made
 * while the core writes, and verified before it is kept. Refusals write nothing, anywhere.
 */
describe('earwitness backup', () => {
  let tmp: ReturnType<typeof tempDir>;
  let data: string;
  let core: Core;

  beforeEach(async () => {
    tmp = tempDir();
    data = join(tmp.dir, 'data');
    core = await openTestCore({ dataDir: data });
    for (let i = 0; i < 3; i++) {
      const r = await importFolder(core, writeSimpleBundle(join(tmp.dir, `b${i}`), { id: `BACKUP-${i}`, sensors: 4 }).dir, 'tester');
      expect(r.status, r.message).toBe('imported');
    }
  });
  afterEach(async () => {
    await core.close();
    tmp.cleanup();
  });

  const count = async (c: Core, table: string) => ((await testSql(c).row(`SELECT count(*) AS n FROM ${table}`)) as { n: number }).n;

  it('copies the database, anchors and clips while another process decides, and the copy verifies and opens', async () => {
    for (let i = 0; i < 20; i++) {
      const dir = writeSimpleBundle(join(tmp.dir, 'later', `w${i}`), { id: `LATER-${i}`, sensors: 4, sourceAt: { x: 10 * i, y: -20 } }).dir;
      expect((await importFolder(core, dir, 'tester')).status).toBe('imported');
    }
    // Another process deciding every alert, one after another, all the while the backup runs.
    const app = spawn(process.execPath, ['--import', 'tsx', PUBLISH_APP, '--data', data, '--pause-ms', '20'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: app.stdout! });
    const exited = new Promise<number | null>((resolve) => app.once('exit', (code) => resolve(code)));
    let decidedDuringBackup = 0;
    let backingUp = false;
    await new Promise<void>((resolve) =>
      lines.on('line', (l) => {
        if (l === 'ready') resolve();
        if (l.startsWith('decided ') && backingUp) decidedDuringBackup++;
      }),
    );
    const out = join(tmp.dir, 'backups', 'monday');
    mkdirSync(dirname(out));
    backingUp = true;
    const r = await cli(['backup', '--data', data, '--out', out]);
    backingUp = false;
    expect(await exited).toBe(0);
    console.log(`${decidedDuringBackup} decisions made by the other process while the backup ran`);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^backup of .* verified: \d+ audit entries, \d+ clips, head entry \d+ [0-9a-f]{64}\n$/);
    expect(statSync(out).mode & 0o777).toBe(0o700);
    expect(statSync(dataPaths(out).database).mode & 0o777).toBe(0o600);
    expect(readdirSync(dirname(out))).toEqual(['monday']); // no temporary folder left beside it
    // The copy is a data folder of its own: the command line verifies it, and a core opens on it.
    const verify = await cli(['audit', 'verify', '--data', out]);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    const copy = await openTestCore({ dataDir: out });
    try {
      // A snapshot from the middle of the writing: no more than the data folder has now, at least what it had before.
      expect(await count(copy, 'alerts')).toBeGreaterThanOrEqual(3);
      expect(await count(copy, 'alerts')).toBeLessThanOrEqual(await count(core, 'alerts'));
      expect(await count(copy, 'decisions')).toBeLessThanOrEqual(await count(core, 'decisions'));
      // Every clip the copy names is in it (audit verify re-hashed them), and nothing but the data folder's clips.
      const live = new Set(listing(dataPaths(data).clips));
      expect(listing(dataPaths(out).clips).filter((f) => !live.has(f))).toEqual([]);
    } finally {
      await copy.close();
    }
  });

  it('refuses, writing nothing, what is not a new folder outside the data folder, and a PostgreSQL database', async () => {
    const before = listing(data);
    const taken = join(tmp.dir, 'taken');
    writeFileSync(taken, 'x');
    const cases: [string[], RegExp][] = [
      [[], /say where the backup goes: --out DIR/],
      [['--out', taken], /exists already: a backup goes into a new folder/],
      [['--out', join(data, 'clips', 'b')], /inside the clip store of the data folder/],
      [['--out', data], /is the data folder/],
      [['--out', join(tmp.dir, 'no', 'such', 'parent')], /is not a folder that exists/],
      [['--out', join(taken, 'sub')], /taken is not a folder that exists/],
      [
        ['--out', join(tmp.dir, 'pg'), '--database', 'postgres://centre.example/earwitness'],
        /PostgreSQL's own tools \(pg_basebackup with WAL archiving, or pg_dump\)/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli(['backup', '--data', data, ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    const empty = join(tmp.dir, 'empty');
    const r = await cli(['backup', '--data', empty, '--out', join(tmp.dir, 'b')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/holds no Earwitness database/);
    expect(listing(data)).toEqual(before);
    expect(readdirSync(tmp.dir).sort()).toEqual(['b0', 'b1', 'b2', 'data', 'taken']);
  });

  it('keeps no copy that does not verify (a clip altered in the data folder), and follows no link', async () => {
    const clip = listing(dataPaths(data).clips).find((f) => f.endsWith('.wav'))!;
    appendFileSync(join(dataPaths(data).clips, clip), Buffer.from([1, 2, 3, 4]));
    const out = join(tmp.dir, 'out');
    const r = await cli(['backup', '--data', data, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the copy does not verify, so it was not kept: .*clip/);
    expect(readdirSync(tmp.dir).sort()).toEqual(['b0', 'b1', 'b2', 'data']);

    // What the file system refuses (here the anchor file is a folder) is told plainly, and nothing is kept.
    mkdirSync(join(data, 'audit-anchors.jsonl'));
    const refused = await cli(['backup', '--data', data, '--out', out, '--no-verify']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^earwitness backup: the copy could not be made, so nothing was kept: E[A-Z]+: .*audit-anchors\.jsonl/m);
    expect(readdirSync(tmp.dir).sort()).toEqual(['b0', 'b1', 'b2', 'data']);
    rmSync(join(data, 'audit-anchors.jsonl'), { recursive: true });

    const secret = join(tmp.dir, 'secret.txt');
    writeFileSync(secret, 'not for the backup');
    symlinkSync(secret, join(dataPaths(data).clips, 'zz-link'));
    const linked = await cli(['backup', '--data', data, '--out', out, '--no-verify']);
    expect(linked.status).toBe(1);
    expect(linked.stderr).toMatch(/zz-link is neither a file nor a folder: the backup does not follow it/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp.dir).sort()).toEqual(['b0', 'b1', 'b2', 'data', 'secret.txt']);
  });
});
