/**
 * Several processes opening one new SQLite file at once, as a centre's servers sharing one data
 * folder do when they start together: every one opens it, and each migration is applied once.
 * (Each used to apply every step it had not seen at its start: "table ... already exists".)
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
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
});
