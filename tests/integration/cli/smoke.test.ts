import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { spawnCli } from '../../support/cli.ts';
import { NODE, REPO, startHostProcess } from '../../support/host.ts';
import { SECRET } from '../../support/publish-fixtures.ts';
import { missing } from '../../support/skip.ts';
import { tempDir } from '../../support/temp.ts';

const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * One real process per command, through bin/earwitness.mjs and the compiled dist/cli (built by the
 * test runners' global setup from the sources of this run): what only a process shows (the
 * shebang's Node, module loading of the build, exit statuses, stdin, pipes, signals). Everything
 * else about each command is tested in-process beside this file.
 */
describe('earwitness, the installed command (one process per command)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let data: string;
  let bundles: string;
  const spawned = new Set<string>();
  const run = (args: string[], o: { stdin?: string } = {}) => {
    spawned.add(args[0]!);
    return spawnCli(args, o);
  };

  beforeAll(() => {
    tmp = tempDir();
    data = join(tmp.dir, 'data');
    bundles = join(tmp.dir, 'bundles');
  });
  afterAll(() => {
    tmp.cleanup();
  });

  it('--version answers from the compiled build, which is there', () => {
    expect(existsSync(join(REPO, 'dist/cli/cli.mjs'))).toBe(true);
    expect(run(['--version'])).toMatchObject({ status: 0, stdout: `earwitness ${VERSION}\n`, stderr: '' });
    expect(run(['serve', '--help'])).toMatchObject({ status: 0, stdout: expect.stringMatching(/^usage: earwitness serve /) });
  });

  it('demo writes bundles; import takes their folder whole; locate reads one; backup copies the data folder', () => {
    const demo = run(['demo', '--out', bundles, '--alerts', '3', '--seed', '7', '--quiet']);
    expect(demo).toMatchObject({ status: 0, stderr: '' });
    expect(readdirSync(bundles).sort()).toEqual(['KH-S7-0001', 'KH-S7-0002', 'KH-S7-0003', 'ground-truth.json']);
    const imp = run(['import', bundles, '--data', data]);
    expect(imp.stderr).toBe('');
    expect(imp.status).toBe(0);
    expect(imp.stdout).toMatch(/: 3 alert folders, 3 imported, 0 already there, 0 refused\n$/);
    const located = run(['locate', join(bundles, 'KH-S7-0001'), '--json']);
    expect(located.status).toBe(0);
    expect(JSON.parse(located.stdout)).toMatchObject({ format: 'earwitness-locate/1' });
    // A backup of what was imported: its own data folder, verified (the command's refusals: backup.test.ts).
    const backup = run(['backup', '--data', data, '--out', join(tmp.dir, 'backup')]);
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/verified: \d+ audit entries, \d+ clips, head entry \d+ [0-9a-f]{64}\n$/);
  });

  it('account reads the password from stdin; agency, audit and dataset answer on the same data folder', () => {
    expect(run(['account', 'add', 'ada', '--role', 'admin', '--data', data], { stdin: 'a long admin password\n' })).toMatchObject({
      status: 0,
      stdout: 'added ada (admin)\n',
    });
    expect(run(['agency', 'list', '--data', data])).toMatchObject({ status: 0, stdout: 'no agencies\n' });
    expect(
      run(['agency', 'add', '--data', data, '--geojson', join(tmp.dir, 'none.geojson'), '--url', 'https://x.example/', '--format', 'cap', '--secret', SECRET]),
    ).toMatchObject({ status: 2, stderr: expect.stringMatching(/^earwitness agency: cannot open the GeoJSON file .* ENOENT\n$/) });
    const verify = run(['audit', 'verify', '--data', data]);
    expect(verify.stdout).toMatch(/OK: the chain, the records and every clip match/);
    expect(verify.status).toBe(0);
    expect(run(['dataset', 'create-project', 'Range', '--data', data])).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(/^created project 1 "Range"/),
    });
    // The demo's alerts imported above: a simulated source, not live, so published as Exercise.
    expect(run(['source', 'list', '--data', data])).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('demo-kellan-heights  not marked  -> published as Exercise  (simulated)'),
    });
    expect(run(['identity', 'show', '--data', data])).toMatchObject({ status: 0, stdout: expect.stringContaining('sender') });
    // The reference receiver refuses to start without a secret (a running one is tested in receive.test.ts).
    expect(run(['receive'])).toMatchObject({ status: 2, stderr: expect.stringContaining('--secret-file') });
    expect(run(['outcomes', 'keys', '--data', data])).toMatchObject({ status: 0 });
  });

  it('serve prints its address, serves (a pushed bundle too), and stops cleanly on SIGTERM', async () => {
    spawned.add('serve');
    const host = await startHostProcess({ dataDir: data });
    try {
      const r = await fetch(`${host.origin}api/session`, {
        method: 'POST',
        headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({ ok: true, value: { sessionId: expect.any(String) } });
      // A sensor network's key, issued beside the running server, and a bundle pushed to it by the reference sender.
      const keyFile = join(tmp.dir, 'smoke.key');
      expect(run(['source', 'key', 'issue', 'smoke-net', '--out', keyFile, '--data', data])).toMatchObject({ status: 0 });
      const bundle = writeSimpleBundle(join(tmp.dir, 'outbox', 'SMOKE-1'), { id: 'SMOKE-1', source: 'smoke-net' }).dir;
      const pushed = run(['push', bundle, '--to', host.origin, '--key-file', keyFile]);
      expect(pushed.stdout).toMatch(/^accepted +\S*\/SMOKE-1: alert \d+\n$/);
      expect(pushed.status).toBe(0);
    } finally {
      await host.stop();
    }
    expect(host.stderr()).not.toMatch(/Error|at .*\.mjs/);
  });

  it('ends quietly when the reader closes the pipe early (earwitness ... | head -1)', async () => {
    const more = join(tmp.dir, 'more');
    for (const id of ['P-1', 'P-2', 'P-3', 'P-4']) writeSimpleBundle(join(more, id), { id });
    const child = spawn(NODE, [join(REPO, 'bin/earwitness.mjs'), 'import', more, '--data', join(tmp.dir, 'pipe-data')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    // Like head -1: take the first chunk, then close the reading end.
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    expect(stderr).toBe('');
    expect(status).toBe(141);
  });

  it('every command was run as a process above', () => {
    expect([...spawned].filter((c) => !c.startsWith('-')).sort()).toEqual(COMMANDS.map((c) => c.name).sort());
  });
});

describe('earwitness on a Node older than 22', () => {
  const older = ['/usr/bin/node', '/usr/local/bin/node'].find(
    (p) => existsSync(p) && Number(spawnSync(p, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout.trim()) < 22,
  );
  it.skipIf(missing(older !== undefined, 'the command on Node < 22', 'no Node older than 22 on this machine to try it with'))(
    'hands itself to the Node 22 that npm install put in node_modules',
    () => {
      const r = spawnCli(['--version'], { node: older! });
      expect(r).toMatchObject({ status: 0, stdout: `earwitness ${VERSION}\n`, stderr: '' });
    },
  );
});
