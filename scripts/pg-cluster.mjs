#!/usr/bin/env node
// A throwaway PostgreSQL cluster for tests and benches: initdb in a temp folder, started with
// pg_ctl on a free port of 127.0.0.1, fsync off (nothing in it outlives the run), trust auth for
// the `postgres` superuser. PostgreSQL refuses to run as root, so as root every command runs as
// the `postgres` OS user (Debian's package creates it); as anyone else, as that user.
//
//   node scripts/pg-cluster.mjs start        prints the URL on stdout, the folder on stderr
//   node scripts/pg-cluster.mjs stop DIR     stops the cluster in DIR and removes DIR
//
// Binaries: $EARWITNESS_PG_BIN, else the newest /usr/lib/postgresql/*/bin, else `pg_config --bindir`.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where initdb and pg_ctl are, or null with the reason. */
export function findPgBin() {
  const fromEnv = process.env.EARWITNESS_PG_BIN;
  if (fromEnv) return existsSync(join(fromEnv, 'initdb')) ? { bin: fromEnv } : { bin: null, reason: `EARWITNESS_PG_BIN=${fromEnv} has no initdb` };
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return { bin: join(base, versions[0], 'bin') };
  }
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (existsSync(join(dir, 'initdb'))) return { bin: dir };
  } catch {
    /* no pg_config on PATH */
  }
  return { bin: null, reason: "no PostgreSQL server binaries (install Debian's `postgresql` package, or set EARWITNESS_PG_BIN)" };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary as a user it accepts; throws with its output on failure. */
function runPg(bin, tool, args) {
  const exe = join(bin, tool);
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', cwd: tmpdir() });
  if (r.error) throw new Error(`${tool}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${tool} failed (${r.status}): ${(r.stderr || r.stdout).trim().slice(-2000)}`);
  return r.stdout;
}

/** Starts a cluster; resolves to { url, dir, port }. */
export async function startCluster() {
  const found = findPgBin();
  if (!found.bin) throw new Error(found.reason);
  const dir = mkdtempSync(join(tmpdir(), 'earwitness-pg-'));
  if (isRoot()) {
    const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
    const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  const data = join(dir, 'data');
  try {
    runPg(found.bin, 'initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
    for (let attempt = 0; ; attempt++) {
      const port = await freePort();
      const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
      try {
        runPg(found.bin, 'pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
        return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dir, port };
      } catch (e) {
        // Another process took the port between the probe and the start: try another.
        if (attempt >= 3) throw e;
      }
    }
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Stops the cluster in `dir` (immediately: nothing in it is kept) and removes the folder. */
export function stopCluster(dir) {
  const found = findPgBin();
  try {
    if (found.bin && existsSync(join(dir, 'data', 'postmaster.pid'))) runPg(found.bin, 'pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [command, arg] = process.argv.slice(2);
  try {
    if (command === 'start') {
      const { url, dir } = await startCluster();
      process.stderr.write(
        `PostgreSQL cluster in ${dir} (stop it with: node scripts/pg-cluster.mjs stop ${dir}) as ${isRoot() ? 'postgres' : userInfo().username}\n`,
      );
      process.stdout.write(`${url}\n`);
    } else if (command === 'stop' && arg) {
      stopCluster(arg);
    } else {
      process.stderr.write('usage: pg-cluster.mjs start | stop DIR\n');
      process.exit(2);
    }
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
