import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readWorkplace, saveWorkplace } from '../../../main/workplace.ts';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore } from '../../support/test-core.ts';
import { centreCertificates } from '../../support/centre-tls.ts';
import { addPerson, TEST_PASSWORD } from '../../support/seats.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * Where the desktop app works, chosen through the contract as its page does. The bridge stands in
 * for Electron's native dialog (it answers with the file "chosen") and keeps the choice with the
 * shell's own code (main/workplace.ts), in real files.
 */
describe('setWorkplace', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let shellDir: string;
  let chosen: string | null;
  let restarts: number;
  let certs: ReturnType<typeof centreCertificates>;

  beforeEach(async () => {
    tmp = tempDir('earwitness-workplace-');
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    shellDir = join(tmp.dir, 'data');
    certs = centreCertificates(tmp.dir);
    chosen = join(tmp.dir, 'centre-ca.pem');
    restarts = 0;
    core.attachDesktop({
      chooseOpenPaths: async () => null,
      chooseSavePath: async () => null,
      chooseCentreCa: async () => chosen,
      setWorkplace: async (w) => {
        saveWorkplace(shellDir, w);
        restarts++;
      },
    });
  });
  afterEach(async () => {
    await core.close();
    tmp.cleanup();
  });

  const seat = async (name?: string) => {
    const s = core.openSession('electron');
    if (name) await core.call(s, 'signIn', { name, password: TEST_PASSWORD });
    return s;
  };

  it('on the first run, anyone at the desktop app chooses a centre, with its private CA; the choice is kept and audited', async () => {
    const r = await core.call(await seat(), 'setWorkplace', { kind: 'centre', origin: 'https://127.0.0.1:9443/', privateCa: true });
    expect(r).toEqual({ cancelled: false, restarting: true });
    expect(readWorkplace(shellDir)).toEqual({ kind: 'centre', origin: 'https://127.0.0.1:9443', caPem: expect.stringContaining('BEGIN CERTIFICATE') });
    expect(restarts).toBe(1);
    const entries = await core.storePort.read((tx) => tx.audit.forEntity('workplace'));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: 'first run', action: 'workplace.changed' });
    expect(JSON.stringify(entries[0])).toContain('https://127.0.0.1:9443');
  });

  it('once people exist, only an administrator changes it; a refusal keeps nothing', async () => {
    await addPerson(core, 'ada', ['admin']);
    await addPerson(core, 'rita', ['reviewer']);
    const rita = await seat('rita');
    expect(await core.dispatch(rita, 'setWorkplace', { kind: 'centre', origin: 'https://review.example', privateCa: false })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await core.dispatch(await seat(), 'setWorkplace', { kind: 'local' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(existsSync(join(shellDir, 'workplace.json'))).toBe(false);
    expect(await core.call(await seat('ada'), 'setWorkplace', { kind: 'centre', origin: 'https://review.example', privateCa: false })).toMatchObject({
      restarting: true,
    });
    expect(readWorkplace(shellDir)).toEqual({ kind: 'centre', origin: 'https://review.example', caPem: null });
  });

  it('refuses a CA that is not one, a file that is not a certificate, and an address that is not a centre, before keeping anything', async () => {
    const first = await seat();
    writeFileSync(join(tmp.dir, 'server-as-ca.pem'), certs.certPem);
    chosen = join(tmp.dir, 'server-as-ca.pem');
    expect(await core.dispatch(first, 'setWorkplace', { kind: 'centre', origin: 'https://review.example', privateCa: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/not a CA certificate/) },
    });
    writeFileSync(join(tmp.dir, 'junk.pem'), 'hello');
    chosen = join(tmp.dir, 'junk.pem');
    expect(await core.dispatch(first, 'setWorkplace', { kind: 'centre', origin: 'https://review.example', privateCa: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/no PEM certificate/) },
    });
    chosen = tmp.dir;
    expect(await core.dispatch(first, 'setWorkplace', { kind: 'centre', origin: 'https://review.example', privateCa: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/must be a file/) },
    });
    for (const origin of ['http://review.example', 'https://review.example/next', 'https://a:b@review.example'])
      expect(await core.dispatch(first, 'setWorkplace', { kind: 'centre', origin, privateCa: false })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    // A cancelled dialog is no choice.
    chosen = null;
    expect(await core.call(first, 'setWorkplace', { kind: 'centre', origin: 'https://review.example', privateCa: true })).toEqual({
      cancelled: true,
      restarting: false,
    });
    expect(existsSync(join(shellDir, 'workplace.json'))).toBe(false);
    expect(restarts).toBe(0);
    expect(readFileSync(join(tmp.dir, 'centre-ca.pem'), 'utf8')).toBe(certs.caPem);
  });

  it("is the desktop app's alone: a browser seat is told so", async () => {
    const browser = core.openSession('loopback');
    expect(await core.dispatch(browser, 'setWorkplace', { kind: 'local' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});
