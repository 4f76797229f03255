import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { writeSimpleBundle } from '../support/bundles.ts';
import { adminClient, apiClient, personClient, rawRequest, startHostProcess, type RunningHost } from '../support/host.ts';
import { tempDir } from '../support/temp.ts';

/**
 * The loopback host's guard, from outside, on the real `earwitness serve`: the token, the Host
 * and Origin checks (against other pages in the browser and DNS rebinding), and the byte ranges
 * media elements ask for.
 */
test.describe('the loopback host refuses strangers and streams clips by range', () => {
  let data: ReturnType<typeof tempDir>;
  let host: RunningHost;
  let sha: string;
  let clipBytes: number;

  test.beforeAll(async () => {
    data = tempDir('earwitness-e2e-host-');
    writeSimpleBundle(join(data.dir, 'bundle'), { id: 'HOST-0001' });
    host = await startHostProcess({ dataDir: join(data.dir, 'store') });
    const api = await adminClient(host);
    const { outcomes } = await api.importFolders([join(data.dir, 'bundle')]);
    const alert = await api.call('getAlert', { id: outcomes[0]!.alertId! });
    sha = alert.tracks[0]!.clip.sha256;
    clipBytes = alert.tracks[0]!.clip.bytes;
  });
  test.afterAll(async () => {
    await host?.stop();
    data?.cleanup();
  });

  const api = (path: string, headers: Record<string, string> = {}) =>
    rawRequest(new URL(path, host.origin).href, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
  const bearer = () => ({ authorization: `Bearer ${host.token}` });

  test('an API call with no token, or a wrong one, is refused with 401 and no data', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer not-the-token' }, { cookie: 'ew_token=not-the-token' }];
    for (const headers of attempts) {
      const res = await api('/api/session', headers);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body.toString())).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    }
    const clip = await rawRequest(new URL(`/clips/${sha}`, host.origin).href);
    expect(clip.status).toBe(401);
    expect(clip.body.includes('RIFF')).toBe(false);
  });

  test('a request from a foreign Origin is refused even with the token', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${host.port + 1}`, 'null']) {
      const res = await api('/api/session', { ...bearer(), origin });
      expect(res.status, origin).toBe(403);
      expect(JSON.parse(res.body.toString())).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    // The host's own origin passes: the refusals above are about the Origin alone.
    expect((await api('/api/session', { ...bearer(), origin: host.origin.replace(/\/$/, '') })).status).toBe(200);
  });

  test('a request naming a foreign Host (DNS rebinding) is refused even with the token', async () => {
    for (const hostHeader of [`evil.example:${host.port}`, `127.0.0.1.nip.io:${host.port}`, '127.0.0.1']) {
      const res = await api('/api/session', { ...bearer(), host: hostHeader });
      expect(res.status, hostHeader).toBe(403);
    }
    const page = await rawRequest(host.origin, { headers: { host: `evil.example:${host.port}` } });
    expect(page.status).toBe(403);
  });

  test('the event socket refuses a foreign Origin', async () => {
    const { sessionId } = await apiClient(host);
    const url = `ws://127.0.0.1:${host.port}/api/events?session=${sessionId}`;
    const outcome = (origin: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url, { origin, headers: bearer() });
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
        ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
        ws.on('error', (e) => resolve(`error ${e.message}`));
      });
    expect(await outcome('http://evil.example')).toBe('refused 403');
    expect(await outcome(host.origin.replace(/\/$/, ''))).toBe('open');
  });

  test('live events reach only seats someone is signed in on', async () => {
    const anonymous = await apiClient(host);
    const reviewer = await personClient(host, 'rita', ['reviewer']);
    const listen = (sessionId: string) => {
      const got: string[] = [];
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/events?session=${sessionId}`, { origin: host.origin.replace(/\/$/, ''), headers: bearer() });
      ws.on('message', (m) => got.push(JSON.parse(String(m)).event as string));
      return { got, opened: new Promise((r) => ws.once('open', r)), close: () => ws.close() };
    };
    const a = listen(anonymous.sessionId);
    const r = listen(reviewer.sessionId);
    await Promise.all([a.opened, r.opened]);
    writeSimpleBundle(join(data.dir, 'bundle-events'), { id: 'HOST-EVENTS' });
    await (await adminClient(host)).importFolders([join(data.dir, 'bundle-events')]);
    await expect.poll(() => r.got).toContain('alertAdded');
    expect(a.got).toEqual([]);
    a.close();
    r.close();
  });

  test('a clip is served by byte range (206) for media elements, and whole without one', async () => {
    const url = new URL(`/clips/${sha}`, host.origin).href;
    const part = await rawRequest(url, { headers: { ...bearer(), range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-99/${clipBytes}`);
    expect(part.headers['accept-ranges']).toBe('bytes');
    expect(part.body.length).toBe(100);
    expect(part.body.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(part.body.subarray(8, 12).toString('latin1')).toBe('WAVE');

    const tail = await rawRequest(url, { headers: { ...bearer(), range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect(tail.headers['content-range']).toBe(`bytes ${clipBytes - 10}-${clipBytes - 1}/${clipBytes}`);

    const beyond = await rawRequest(url, { headers: { ...bearer(), range: `bytes=${clipBytes}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${clipBytes}`);

    const whole = await rawRequest(url, { headers: bearer() });
    expect(whole.status).toBe(200);
    expect(whole.body.length).toBe(clipBytes);

    const unknown = await rawRequest(new URL(`/clips/${'0'.repeat(64)}`, host.origin).href, { headers: bearer() });
    expect(unknown.status).toBe(404);
  });
});
