import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore } from '../../support/test-core.ts';
import type { Session } from '../../../src/kernel/session.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { tempDir } from '../../support/temp.ts';

let dir: string;
let cleanup: () => void;
let core: Core;
let session: Session;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir('earwitness-desktop-'));
  core = await openTestCore({ dataDir: join(dir, 'data') });
  session = core.openSession('cli');
});
afterEach(async () => {
  await core.close();
  cleanup();
});

describe('native dialogs', () => {
  it('are unavailable without a desktop shell', async () => {
    expect(await core.dispatch(session, 'chooseImport', { kind: 'alerts' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await core.dispatch(session, 'choosePath', { mode: 'open', purpose: 'mbtiles' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('import what the person picked, and report a cancelled dialog as such', async () => {
    const picked: string[][] = [
      [writeSimpleBundle(join(dir, 'b1'), { id: 'A-1' }).dir, join(dir, 'nowhere')],
      [],
      [join(dir, 'wavs-a'), join(dir, 'wavs-b')],
      [],
    ];
    const asked: string[] = [];
    core.attachDesktop({
      chooseOpenPaths: async (s, purpose) => {
        expect(s.id).toBe(session.id);
        asked.push(purpose);
        const next = picked.shift()!;
        return next.length ? next : null;
      },
      chooseSavePath: async (_s, req) => join(dir, req.defaultName),
    });
    const first = await core.call(session, 'chooseImport', { kind: 'alerts' });
    expect(first.cancelled).toBe(false);
    expect(first.outcomes.map((o) => o.status)).toEqual(['imported', 'refused']);
    // The page learns what it chose by name, never where it is on the disk.
    expect(first.outcomes.map((o) => o.path)).toEqual(['b1', 'nowhere']);
    expect(JSON.stringify(first)).not.toContain(dir);
    expect(await core.call(session, 'chooseImport', { kind: 'audio' })).toEqual({ cancelled: true, outcomes: [] });
    expect(asked).toEqual(['alerts', 'audio']);
    // A save dialog answers with a grant and the name chosen: the path stays in the core.
    const save = await core.call(session, 'choosePath', { mode: 'save', purpose: 'dataset', defaultName: 'labels.zip', extensions: ['zip'] });
    expect(save).toEqual({ cancelled: false, grantId: expect.stringMatching(/^gr_[A-Za-z0-9_-]{22}$/), names: ['labels.zip'] });
    expect(JSON.stringify(save)).not.toContain(dir);
    // Audio to label: every folder picked is in the grant, nothing is imported by the dialog itself.
    const folders = await core.call(session, 'choosePath', { mode: 'open', purpose: 'labelAudioFolders' });
    expect(folders).toMatchObject({ cancelled: false, names: ['wavs-a', 'wavs-b'] });
    expect(await core.call(session, 'choosePath', { mode: 'open', purpose: 'labelAudioFiles' })).toEqual({ cancelled: true, grantId: null, names: [] });
    expect(asked).toEqual(['alerts', 'audio', 'labelAudioFolders', 'labelAudioFiles']);
  });

  it('refuse a save name that smuggles a folder', async () => {
    const r = await core.dispatch(session, 'choosePath', { mode: 'save', purpose: 'dataset', defaultName: '../../etc/x.zip', extensions: ['zip'] });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
