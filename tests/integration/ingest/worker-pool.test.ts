import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UserError } from '../../../src/util/errors.ts';
import { IngestPool, inlineWork, workerEntry } from '../../../src/ingest/worker/pool.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { tempDir } from '../../support/temp.ts';

const NOW = { nowUs: Date.now() * 1000 };

describe('the ingest worker pool', () => {
  let tmp: ReturnType<typeof tempDir>;
  let small: string;
  beforeAll(() => {
    tmp = tempDir();
    small = writeSimpleBundle(join(tmp.dir, 'small')).dir;
  });
  afterAll(() => tmp.cleanup());

  it('stops a task past its deadline with its worker, refuses it, and serves the next on a new worker', async () => {
    // A worker that spins forever on a prepare: the deadline, not the machine's speed, ends it.
    const hanging = {
      url: pathToFileURL(fileURLToPath(new URL('../../support/hanging-worker.mjs', import.meta.url))),
      execArgv: [],
      how: 'configured' as const,
    };
    const pool = new IngestPool(hanging, { size: 1, taskTimeoutMs: 2000 });
    try {
      expect((await pool.scan(small, NOW)).sensors).toHaveLength(4);
      const incoming = await inlineWork.scan(small, NOW);
      const refused = await pool.prepare(incoming, { defaultTemperatureC: 15, nowUs: 0 }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(UserError);
      expect((refused as UserError).message).toBe('reading and locating this alert took over 2 s; it was stopped and nothing was stored');
      expect((await pool.scan(small, NOW)).sensors).toHaveLength(4);
      expect(pool.started).toBe(2);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('carries a refusal across the thread as the same UserError, code and message', async () => {
    const pool = new IngestPool(workerEntry()!, { size: 1 });
    try {
      const e = await pool.scan(join(tmp.dir, 'nowhere'), NOW).then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(UserError);
      expect(e).toMatchObject({ code: 'bad_file', message: `${join(tmp.dir, 'nowhere')} does not exist` });
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('fails the task of a worker that dies, and starts another for the next', async () => {
    const crashing = {
      url: pathToFileURL(fileURLToPath(new URL('../../support/crashing-worker.mjs', import.meta.url))),
      execArgv: [],
      how: 'configured' as const,
    };
    const pool = new IngestPool(crashing, { size: 1 });
    try {
      await expect(pool.scan(small, NOW)).rejects.toThrow('the ingest worker stopped: exit code 3');
      await expect(pool.scan(small, NOW)).rejects.toThrow('the ingest worker stopped: exit code 3');
      expect(pool.started).toBe(2);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('does the work on the calling thread when no worker can start (a build shipped without its entry)', async () => {
    const missing = { url: pathToFileURL(join(tmp.dir, 'no-such-ingest-worker.mjs')), execArgv: [], how: 'configured' as const };
    const pool = new IngestPool(missing, { size: 1 });
    try {
      expect((await pool.scan(small, NOW)).sensors).toHaveLength(4);
      expect((await pool.scan(small, NOW)).sensors).toHaveLength(4);
      expect(pool.started).toBe(1);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('refuses tasks once closed', async () => {
    const pool = new IngestPool(workerEntry()!, { size: 1 });
    await pool.close();
    await expect(pool.scan(small, NOW)).rejects.toThrow('the ingest pool is closed');
  });
});
