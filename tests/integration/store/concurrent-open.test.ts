/**
 * Several processes opening one new SQLite file at once, as a centre's servers sharing one data
 * folder do when they start together: every one opens it, and each migration is applied once.
 * (Each used to apply every step it had not seen at its start: "table ... already exists".)
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/store/db.ts';
import { MIGRATIONS } from '../../../src/store/migrations/index.ts';
import { tempDir } from '../../support/temp.ts';

const DB = fileURLToPath(new URL('../../../src/store/db.ts', import.meta.url));
const PROCESSES = 4;

/** A process that loads the store, waits for the agreed moment (so all open together), and opens the file. */
function openIn(file: string, atMs: number): Promise<{ code: number | null; stderr: string }> {
  const code = `const { openDatabase } = await import(${JSON.stringify(DB)});
    await new Promise((r) => setTimeout(r, Math.max(0, ${atMs} - Date.now())));
    openDatabase(${JSON.stringify(file)}).close();`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('exit', (c) => resolve({ code: c, stderr })));
}

describe('one new SQLite file opened by several processes at once', () => {
  it('opens in every process and records each migration once', async () => {
    const tmp = tempDir();
    try {
      for (const round of [1, 2]) {
        const file = join(tmp.dir, `shared-${round}.sqlite`);
        const at = Date.now() + 4000; // every process loaded by then, on a busy machine too
        const runs = await Promise.all(Array.from({ length: PROCESSES }, () => openIn(file, at)));
        expect(runs.map((r) => (r.code === 0 ? 'ok' : (r.stderr.split('\n').find((l) => l.includes('Error')) ?? r.stderr)))).toEqual(
          Array(PROCESSES).fill('ok'),
        );
        const db = new Database(file, { readonly: true });
        const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
        db.close();
        expect(versions).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
      }
    } finally {
      tmp.cleanup();
    }
  });

  // The race the test above meets about one run in a hundred, made certain: another process has the
  // new file's write lock (as it has while it switches the file to WAL). SQLite answers this one's
  // switch to WAL with SQLITE_BUSY at once, without the busy timeout, so openDatabase must wait itself.
  it("waits while another connection holds the new file's write lock, then opens it", async () => {
    const tmp = tempDir();
    const file = join(tmp.dir, 'held.sqlite');
    const holder = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
      const db = new (require(workerData.sqlite))(workerData.file);
      db.exec('BEGIN IMMEDIATE');
      parentPort.postMessage('locked');
      setTimeout(() => { db.exec('COMMIT'); db.close(); }, 400);`,
      { eval: true, workerData: { sqlite: createRequire(import.meta.url).resolve('better-sqlite3'), file } },
    );
    try {
      await new Promise((resolve, reject) => holder.once('message', resolve).once('error', reject));
      const started = Date.now();
      const db = openDatabase(file);
      const waitedMs = Date.now() - started;
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
      db.close();
      expect(waitedMs).toBeGreaterThanOrEqual(300); // it did meet the lock, and waited for it
    } finally {
      await holder.terminate();
      tmp.cleanup();
    }
  });
});
