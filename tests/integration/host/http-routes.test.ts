import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { adminClient, rawRequest } from '../../support/host.ts';
import { inProcessHost, sendLargeBody } from '../../support/inproc-host.ts';

/**
 * Every route of the loopback host answers as specified, with real HTTP requests: a wrong method
 * is 405 with Allow and a JSON error, an unknown API route 404 JSON, a body over the limit 413
 * JSON (never a connection reset).
 */
describe('the loopback host answers every method, route and body size as specified', () => {
  let h: Awaited<ReturnType<typeof inProcessHost>>;
  let sha: string;
  beforeAll(async () => {
    h = await inProcessHost();
    const admin = await adminClient(h);
    const { outcomes } = await admin.importFolders([writeSimpleBundle(`${h.tmp}/bundle`, { id: 'HTTP-1' }).dir]);
    sha = (await admin.call('getAlert', { id: outcomes[0]!.alertId! })).tracks[0]!.clip.sha256;
  });
  afterAll(() => h.close());

  const url = (path: string) => new URL(path, h.origin).href;
  const bearer = () => ({ authorization: `Bearer ${h.token}` });
  const json = (body: Buffer) => JSON.parse(body.toString('utf8')) as { ok: boolean; error?: { code: string; message: string } };

  it.each([
    ['GET', '/api/getStatus', 'POST'],
    ['PUT', '/api/session', 'POST'],
    ['DELETE', '/api/listAlerts', 'POST'],
    ['POST', '/api/events', 'GET'],
    ['DELETE', '/clips/SHA', 'GET, HEAD'],
    ['POST', '/clips/SHA', 'GET, HEAD'],
    ['POST', '/', 'GET, HEAD'],
    ['PUT', '/index.html', 'GET, HEAD'],
    ['PUT', '/uploads', 'POST'],
    ['GET', '/uploads/up_AAAAAAAAAAAAAAAAAAAAAA', 'POST, DELETE'],
    ['POST', '/downloads/tag/dl_AAAAAAAAAAAAAAAAAAAAAA', 'GET, HEAD'],
  ])('%s %s is 405 with Allow: %s and a JSON error', async (method, path, allow) => {
    const res = await rawRequest(url(path.replace('SHA', sha)), {
      method,
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : '{}',
    });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(json(res.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    // DELETE of a clip gives no audio back, let alone deletes it.
    expect(res.body.includes('RIFF')).toBe(false);
  });

  it('a clip is still there after the DELETE', async () => {
    const res = await rawRequest(url(`/clips/${sha}`), { headers: bearer() });
    expect(res.status).toBe(200);
    expect(res.body.subarray(0, 4).toString('latin1')).toBe('RIFF');
  });

  it.each(['/api/noSuchMethod', '/api/', '/api', '/api/getStatus/extra', '/api/__proto__', '/api/constructor'])(
    'unknown API route %s is 404 JSON',
    async (path) => {
      for (const method of ['POST', 'GET']) {
        const res = await rawRequest(url(path), {
          method,
          headers: { ...bearer(), 'content-type': 'application/json' },
          body: method === 'POST' ? '{}' : undefined,
        });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(json(res.body)).toMatchObject({ ok: false, error: { code: 'not_found' } });
      }
    },
  );

  it('the event route without a WebSocket upgrade says it is one (426)', async () => {
    const res = await rawRequest(url('/api/events'), { headers: bearer() });
    expect(res.status).toBe(426);
    expect(res.headers.upgrade).toBe('websocket');
    expect(json(res.body).ok).toBe(false);
  });

  const MiB5 = 5 * 1024 * 1024;
  it.each([
    ['with a Content-Length', { chunked: false }],
    ['chunked, with no length', { chunked: true }],
    ['waiting for 100-continue', { expectContinue: true }],
  ])('a 5 MiB API call %s is 413 with a JSON error, not a reset', async (_how, o) => {
    const res = await sendLargeBody(url('/api/getStatus'), { size: MiB5, headers: { ...bearer(), 'content-type': 'application/json' }, ...o });
    expect(res.error).toBeNull();
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('limit') } });
    // And the host goes on answering.
    expect((await rawRequest(url('/api/session'), { method: 'POST', headers: { ...bearer(), 'content-type': 'application/json' }, body: '{}' })).status).toBe(
      200,
    );
  });

  it('a 5 MiB body through fetch gets the 413 too', async () => {
    const res = await fetch(url('/api/getStatus'), {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: Buffer.alloc(MiB5, 0x20),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('a body just under the limit is read (and here refused as arguments, not as size)', async () => {
    const admin = await adminClient(h);
    const body = JSON.stringify({ pad: 'x'.repeat(4 * 1024 * 1024 - 100) });
    const res = await rawRequest(url('/api/getAlert'), {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'application/json', 'x-earwitness-session': admin.sessionId },
      body,
    });
    expect(res.status).toBe(200);
    expect(json(res.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
