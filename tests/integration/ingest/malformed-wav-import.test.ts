import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore } from '../../support/test-core.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { malformedWavs } from '../../support/malformed-wavs.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { storeSnapshot } from '../../support/store-snapshot.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * Each malformed WAV, put in place of one clip of an otherwise valid bundle, must make the whole
 * import refuse with a message naming that clip, and leave every table and the clip store as they were.
 */
describe('importing a bundle with a malformed clip', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let bundle: string;
  let alertJson: string;

  beforeAll(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    // One good alert first, so every table that an import touches already holds rows.
    expect((await importFolder(core, writeSimpleBundle(join(tmp.dir, 'good'), { id: 'GOOD-1' }).dir, 'tester')).status).toBe('imported');
    const start = await storeSnapshot(core);
    expect(Object.keys(start.tables).length).toBeGreaterThanOrEqual(8);
    expect(start.tables.alerts).toBe(1);
    expect(start.clips).toHaveLength(4);
    bundle = writeSimpleBundle(join(tmp.dir, 'bad'), { id: 'BAD-1' }).dir;
    alertJson = readFileSync(join(bundle, 'alert.json'), 'utf8');
  });
  afterAll(async () => {
    await core.close();
    tmp.cleanup();
  });

  it.each(malformedWavs().map((c) => [c.name, c] as const))('%s: refused, clip named, nothing written', async (_name, c) => {
    const alert = JSON.parse(alertJson) as { sensors: { clip: string; channel?: number }[] };
    if (c.channel !== undefined) alert.sensors[1]!.channel = c.channel;
    writeFileSync(join(bundle, 'alert.json'), JSON.stringify(alert));
    writeFileSync(join(bundle, 'S-002.wav'), c.bytes);
    const before = await storeSnapshot(core);
    const r = await importFolder(core, bundle, 'tester');
    expect(r.status).toBe('refused');
    expect(r.alertId).toBeNull();
    expect(r.message).toMatch(/^S-002\.wav: /);
    expect(r.message).toMatch(c.expected);
    expect(await storeSnapshot(core)).toEqual(before);
  });

  it('the same bundle with its clip restored imports (the corpus failed for the clip alone)', async () => {
    writeFileSync(join(bundle, 'alert.json'), alertJson);
    writeSimpleBundle(join(tmp.dir, 'restore'), { id: 'BAD-1' });
    writeFileSync(join(bundle, 'S-002.wav'), readFileSync(join(tmp.dir, 'restore', 'S-002.wav')));
    expect((await importFolder(core, bundle, 'tester')).status).toBe('imported');
  });
});
