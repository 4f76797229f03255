import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore } from '../../support/test-core.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { HOSTILE_NOW_US, hostileBundles, writeSimpleBundle } from '../../support/bundles.ts';
import { storeSnapshot } from '../../support/store-snapshot.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * Every bundle of the hostile corpus, imported into a store that already holds an alert: refused
 * with one line that names the file and the field, and not a row nor a clip file written.
 */
describe('bundles that lie', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  const corpus = hostileBundles();

  beforeAll(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data'), clock: { nowUs: () => HOSTILE_NOW_US } });
    expect((await importFolder(core, writeSimpleBundle(join(tmp.dir, 'good'), { id: 'GOOD-1' }).dir, 'tester')).status).toBe('imported');
  });
  afterAll(async () => {
    await core.close();
    tmp.cleanup();
  });

  it('holds at least 40 distinct cases', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
  });

  it.each(corpus.map((c) => [c.name, c] as const))('%s: refused in one line naming the file and field, nothing written', async (_name, c) => {
    const dir = join(tmp.dir, 'case');
    const outside = join(tmp.dir, 'outside');
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
    mkdirSync(outside);
    c.make(dir, outside);
    const before = await storeSnapshot(core);
    const started = performance.now();
    const r = await importFolder(core, dir, 'tester');
    expect(r.status).toBe('refused');
    expect(r.alertId).toBeNull();
    expect(r.message).not.toMatch(/\n/);
    expect(r.message).toMatch(c.expected);
    expect(await storeSnapshot(core)).toEqual(before);
    // Sizes are refused before the audio is read: the sparse gigabytes are never touched.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('the same bundle without the lie imports (each case failed for its lie alone)', async () => {
    const dir = join(tmp.dir, 'honest');
    writeSimpleBundle(dir, { id: 'HONEST-1' });
    expect(await importFolder(core, dir, 'tester')).toMatchObject({ status: 'imported' });
  });
});
