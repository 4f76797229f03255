import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as plainRequest } from 'node:http';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore } from '../../support/test-core.ts';
import { startHost, type Host } from '../../../src/host/server.ts';
import { SIGNIN_FAILURES_PER_ADDRESS } from '../../../src/host/signin-limit.ts';
import { centreBrowser } from '../../support/centre-browser.ts';
import { centreCertificates, freePort, tlsRequest } from '../../support/centre-tls.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * A centre server (`serve --listen`) on 127.0.0.1 over real TLS, with a certificate from a private
 * CA made by openssl: no shared token, each browser its own key in a Secure cookie, seats bound to
 * the key they were opened with, Host and Origin from the public origin, sign-in throttled per
 * address, and an administrator who lists and ends seats.
 */
describe('a centre server on the network', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let host: Host;
  let ca: string;
  let origin: string;

  const browser = () => centreBrowser(origin, ca);

  beforeAll(async () => {
    tmp = tempDir();
    const certs = centreCertificates(tmp.dir);
    ca = certs.caPem;
    const port = await freePort();
    origin = `https://127.0.0.1:${port}`;
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    host = await startHost({
      core,
      rendererDir: join(tmp.dir, 'no-ui'),
      network: { listenHost: '127.0.0.1', port, publicOrigin: origin, tls: { certPem: certs.certPem, keyPem: certs.keyPem } },
    });
  });
  afterAll(async () => {
    await host?.close();
    await core?.close();
    tmp?.cleanup();
  });

  it('speaks TLS only, and announces itself at its public origin with no token', async () => {
    expect(host.url).toBe(`${origin}/`);
    expect(host.token).toBe('');
    const plain = await new Promise<string>((resolve) => {
      const req = plainRequest(`http://127.0.0.1:${host.port}/`, (res) => resolve(`HTTP ${res.statusCode}`));
      req.on('error', (e) => resolve(`error ${(e as NodeJS.ErrnoException).code ?? e.message}`));
      req.end();
    });
    expect(plain).not.toMatch(/HTTP 200/);
    const page = await tlsRequest(`${origin}/`, ca, { headers: { host: new URL(origin).host } });
    expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it("gives each browser its own key in a Secure, HttpOnly, SameSite=Strict cookie, and a seat answers only to its browser's key", async () => {
    const a = browser();
    const opened = await a.open();
    expect(opened.status).toBe(200);
    const cookies = opened.headers['set-cookie'] as string[];
    const key = cookies.find((c) => c.startsWith('__Host-ew_browser='))!;
    expect(key).toMatch(/; Secure; HttpOnly; SameSite=Strict; Path=\//);
    expect(cookies.find((c) => c.startsWith('ew_seat='))).toMatch(/; Secure; HttpOnly; SameSite=Strict; Path=\/downloads\//);
    expect((await a.call('getSeat')).result.ok).toBe(true);

    // The same seat id from another browser (its own key) or from no browser at all is refused.
    const b = browser();
    await b.open();
    expect((await b.call('getSeat', {}, a.seat)).status).toBe(401);
    const bare = await tlsRequest(`${origin}/api/getSeat`, ca, {
      method: 'POST',
      headers: { host: new URL(origin).host, origin, 'content-type': 'application/json', 'x-earwitness-session': a.seat },
      body: '{}',
    });
    expect(bare.status).toBe(401);
    // There is no shared token to present.
    const bearer = await tlsRequest(`${origin}/api/getSeat`, ca, {
      method: 'POST',
      headers: { host: new URL(origin).host, origin, 'content-type': 'application/json', authorization: 'Bearer anything', 'x-earwitness-session': a.seat },
      body: '{}',
    });
    expect(bearer.status).toBe(401);
  });

  it('refuses a Host or an Origin other than the public origin', async () => {
    const a = browser();
    await a.open();
    expect((await a.send('/api/getSeat', { body: {}, headers: { host: 'evil.example', 'x-earwitness-session': a.seat } })).status).toBe(403);
    expect((await a.send('/api/getSeat', { body: {}, headers: { origin: 'https://evil.example', 'x-earwitness-session': a.seat } })).status).toBe(403);
    expect((await a.send('/api/getSeat', { body: {}, headers: { origin: `http://127.0.0.1:${host.port}`, 'x-earwitness-session': a.seat } })).status).toBe(403);
  });

  it('never lets a browser make the first administrator of an empty centre', async () => {
    const a = browser();
    await a.open();
    const r = await a.call('createFirstAdmin', { name: 'mallory', displayName: 'Mallory', password: 'a long enough password' });
    expect(r.result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(r.result.error!.message).toContain('earwitness account add');
    expect(await core.storePort.read((tx) => tx.accounts.count())).toBe(0);
  });

  it('serves clips only to a browser with someone signed in; lists seats with where they are from; an admin ends one', async () => {
    const cli = core.cliSession();
    for (const [name, roles] of [
      ['ada', ['admin']],
      ['rita', ['reviewer']],
    ] as const)
      expect(
        (await core.dispatch(cli, 'createAccount', { name, displayName: name.toUpperCase(), password: `${name} password for tests`, roles: [...roles] })).ok,
      ).toBe(true);
    const admin = browser();
    await admin.open();
    const clip = `/clips/${'0'.repeat(64)}`;
    expect((await admin.send(clip, { method: 'GET' })).status).toBe(401);
    expect((await admin.call('signIn', { name: 'ada', password: 'ada password for tests' })).result.ok).toBe(true);
    expect((await admin.send(clip, { method: 'GET' })).status).toBe(404); // past the gate: no such clip

    const rita = browser();
    await rita.open();
    expect((await rita.call('signIn', { name: 'rita', password: 'rita password for tests' })).result.ok).toBe(true);
    // A reviewer may not list or end seats.
    expect((await rita.call('listSeats')).result).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const listed = ((await admin.call('listSeats')).result.value as { seats: unknown }).seats as {
      seat: string;
      transport: string;
      address: string;
      person: { name: string } | null;
      yours: boolean;
    }[];
    const ritaSeat = listed.find((s) => s.person?.name === 'rita')!;
    expect(ritaSeat).toMatchObject({ transport: 'network', address: '127.0.0.1', yours: false });
    expect(listed.find((s) => s.person?.name === 'ada')).toMatchObject({ yours: true });
    expect((await admin.call('endSeat', { seat: listed.find((s) => s.yours)!.seat })).result).toMatchObject({ ok: false, error: { code: 'conflict' } });

    expect((await admin.call('endSeat', { seat: ritaSeat.seat })).result).toEqual({ ok: true, value: { ended: true } });
    expect((await rita.call('getQueue', {})).result).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const signOut = (await core.storePort.read((tx) => tx.audit.withActionPrefix('session.signout'))).at(-1)!;
    expect(signOut.actor).toBe('ada');
    expect(JSON.parse(signOut.payload_json)).toMatchObject({ reason: 'ended', person: 'rita', transport: 'network', address: '127.0.0.1' });
  });

  it('opens the event socket only for a seat of the browser that asks', async () => {
    const a = browser();
    await a.open();
    const b = browser();
    await b.open();
    const tryOpen = (jar: string[], seat: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`wss://127.0.0.1:${host.port}/api/events?session=${encodeURIComponent(seat)}`, {
          ca,
          headers: { origin, cookie: jar.join('; ') },
        });
        ws.once('open', () => {
          ws.close();
          resolve('open');
        });
        ws.once('error', () => resolve('refused'));
      });
    expect(await tryOpen(a.jar, a.seat)).toBe('open');
    expect(await tryOpen(b.jar, a.seat)).toBe('refused');
  });

  it('tells an address that failed too many sign-ins to wait, before the password is checked, whatever name it tries', async () => {
    const guesser = browser();
    await guesser.open();
    for (let i = 0; i < SIGNIN_FAILURES_PER_ADDRESS; i++) {
      const r = await guesser.call('signIn', { name: `name${i}`, password: 'guess guess guess' });
      expect(r.result).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    }
    const blocked = await guesser.send('/api/signIn', {
      body: { name: 'ada', password: 'ada password for tests' },
      headers: { 'x-earwitness-session': guesser.seat },
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });
});
