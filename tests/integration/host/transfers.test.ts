import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../support/audit-fixtures.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { adminClient, folderFiles, PERSON_PASSWORD, personClient, rawRequest, type ApiClient } from '../../support/host.ts';
import { inProcessHost, sendLargeBody } from '../../support/inproc-host.ts';

const KiB = 1024;

/** Every file (not folder) under the run folders of transfers/, relative to transfers/. */
function transferFiles(dataDir: string): string[] {
  const root = join(dataDir, 'transfers');
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else if (e.name !== 'owner.json') out.push(`${rel}${e.name}`);
    }
  };
  walk(root, '');
  return out;
}

describe('uploads and downloads of the loopback host, bound to the seat that made them', () => {
  let h: Awaited<ReturnType<typeof inProcessHost>>;
  let clock: FakeClock;
  let admin: ApiClient;
  beforeEach(async () => {
    clock = new FakeClock(Date.now() * 1000);
    h = await inProcessHost({
      clock,
      transferLimits: { fileBytes: 256 * KiB, setBytes: 512 * KiB, totalBytes: 768 * KiB, setFiles: 20, uploadTtlS: 60, downloadTtlS: 60 },
    });
    admin = await adminClient(h);
  });
  afterEach(() => h.close());

  const url = (path: string) => new URL(path, h.origin).href;
  const auth = (c: ApiClient) => ({ authorization: `Bearer ${h.token}`, 'x-earwitness-session': c.sessionId });
  const openUpload = async (c: ApiClient) => {
    const res = await rawRequest(url('/uploads'), { method: 'POST', headers: auth(c) });
    expect(res.status).toBe(201);
    return (JSON.parse(res.body.toString()) as { value: { uploadId: string } }).value.uploadId;
  };
  const put = (c: ApiClient, uploadId: string, name: string, body: string | Buffer) =>
    rawRequest(url(`/uploads/${uploadId}?name=${encodeURIComponent(name)}`), {
      method: 'POST',
      headers: { ...auth(c), 'content-type': 'application/octet-stream' },
      body: body as string,
    });

  it('refuses hostile names with 400 and keeps no byte of them', async () => {
    const id = await openUpload(admin);
    for (const name of ['../../earwitness.sqlite', '/etc/passwd', 'C:\\Windows\\x', 'a/../../b', 'a\\b', 'x\u0000y', '', 'a//b', 'nul', 'a/./b']) {
      const res = await put(admin, id, name, 'hostile');
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(JSON.parse(res.body.toString())).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    const bad = await rawRequest(url(`/uploads/${id}?name=%E0%A4%A`), { method: 'POST', headers: auth(admin), body: 'x' });
    expect(bad.status).toBe(400);
    expect(transferFiles(h.dataDir)).toEqual([]);
    expect(readdirSync(h.tmp).sort()).toEqual(['bundle-src', 'data'].filter((d) => existsSync(join(h.tmp, d))));
  });

  it('a file named twice, or a file where a folder is, is a conflict', async () => {
    const id = await openUpload(admin);
    expect((await put(admin, id, 'a/b.txt', 'one')).status).toBe(201);
    expect((await put(admin, id, 'A/B.txt', 'two')).status).toBe(409);
    expect((await put(admin, id, 'a', 'three')).status).toBe(409);
    expect((await put(admin, id, 'a/b.txt/c', 'four')).status).toBe(409);
  });

  it('holds each limit: a file, an upload, every upload together, the number of files (413, JSON, no reset), and frees what was refused', async () => {
    const id = await openUpload(admin);
    const big = await sendLargeBody(url(`/uploads/${id}?name=big.bin`), { size: 300 * KiB, headers: auth(admin) });
    expect([big.status, big.error]).toEqual([413, null]);
    expect(JSON.parse(big.body)).toMatchObject({ ok: false, error: { message: expect.stringContaining('limit for one file') } });
    const chunked = await sendLargeBody(url(`/uploads/${id}?name=big.bin`), { size: 300 * KiB, headers: auth(admin), chunked: true });
    expect([chunked.status, chunked.error]).toEqual([413, null]);
    expect(transferFiles(h.dataDir)).toEqual([]);

    const half = Buffer.alloc(200 * KiB, 1);
    expect((await put(admin, id, 'one.bin', half)).status).toBe(201);
    expect((await put(admin, id, 'two.bin', half)).status).toBe(201);
    const third = await put(admin, id, 'three.bin', half);
    expect(third.status).toBe(413);
    expect(JSON.parse(third.body.toString()).error.message).toContain('upload would be over');

    const other = await personClient(h, 'rita', ['reviewer']);
    const id2 = await openUpload(other);
    expect((await put(other, id2, 'a.bin', half)).status).toBe(201);
    const over = await put(other, id2, 'b.bin', half);
    expect(over.status).toBe(413);
    expect(JSON.parse(over.body.toString()).error.message).toContain('as many uploaded bytes');

    const id3 = await openUpload(other);
    for (let i = 0; i < 20; i++) expect((await put(other, id3, `f${i}`, 'x')).status).toBe(201);
    expect((await put(other, id3, 'f20', 'x')).status).toBe(413);
  });

  it("an upload is its seat's alone: another seat can neither add to it, use it nor discard it; used, it is gone", async () => {
    writeSimpleBundle(join(h.tmp, 'bundle-src', 'OWN-1'), { id: 'OWN-1' });
    const uploadId = await admin.upload(folderFiles(join(h.tmp, 'bundle-src', 'OWN-1')));
    const rita = await personClient(h, 'rita', ['reviewer']);
    expect((await put(rita, uploadId, 'extra.txt', 'x')).status).toBe(404);
    expect((await rawRequest(url(`/uploads/${uploadId}`), { method: 'DELETE', headers: auth(rita) })).status).toBe(404);
    expect(await rita.dispatch('importAlertFiles', { files: { kind: 'upload', uploadId } })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const before = transferFiles(h.dataDir);
    expect(before.length).toBeGreaterThan(0);
    const { outcomes } = await admin.call('importAlertFiles', { files: { kind: 'upload', uploadId } });
    expect(outcomes).toMatchObject([{ path: 'OWN-1', status: 'imported' }]);
    expect(transferFiles(h.dataDir)).toEqual([]);
    expect(await admin.dispatch('importAlertFiles', { files: { kind: 'upload', uploadId } })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('an upload nobody used expires, and goes', async () => {
    const id = await openUpload(admin);
    expect((await put(admin, id, 'x.txt', 'x')).status).toBe(201);
    clock.advance(61);
    expect(await admin.dispatch('importAlertFiles', { files: { kind: 'upload', uploadId: id } })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(transferFiles(h.dataDir)).toEqual([]);
  });

  it('uploads need the token and a signed-in seat', async () => {
    expect((await rawRequest(url('/uploads'), { method: 'POST', headers: { 'x-earwitness-session': admin.sessionId } })).status).toBe(401);
    const res = await fetch(url('/api/session'), {
      method: 'POST',
      headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    const anonymous = ((await res.json()) as { value: { sessionId: string } }).value.sessionId;
    expect(
      (await rawRequest(url('/uploads'), { method: 'POST', headers: { authorization: `Bearer ${h.token}`, 'x-earwitness-session': anonymous } })).status,
    ).toBe(401);
  });

  it('a download reaches its seat by link (cookie) or header, as a file; another seat, no seat, or after expiry: 404', async () => {
    const audrey = await personClient(h, 'audrey', ['auditor']);
    const { file, fileName } = await audrey.call('exportAuditStatsFile', { fromUs: 0, toUs: clock.nowUs(), to: { kind: 'download' } });
    if (file.kind !== 'download') throw new Error('expected a download');
    expect(file.downloadId).toMatch(/^dl_/);

    // A plain link: the browser sends the seat's cookie, which the host scoped to this seat's downloads.
    const session = await fetch(url('/api/session'), {
      method: 'POST',
      headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    const cookies = session.headers.getSetCookie();
    expect(cookies.some((c) => /^ew_seat=[^;]+; HttpOnly; SameSite=Strict; Path=\/downloads\/[A-Za-z0-9_-]{8}$/.test(c))).toBe(true);
    const seatCookie = `ew_seat=${audrey.sessionId}`;
    const link = await rawRequest(url(`${audrey.downloads}${file.downloadId}`), { headers: { cookie: `ew_token=${h.token}; ${seatCookie}` } });
    expect(link.status).toBe(200);
    expect(link.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(link.headers['content-disposition']).toBe(`attachment; filename="${fileName}"; filename*=UTF-8''${fileName}`);
    expect(link.headers['x-content-type-options']).toBe('nosniff');
    expect(Number(link.headers['content-length'])).toBe(file.bytes);
    expect(link.body.toString('utf8')).toContain('section,reviewer,metric');

    const byHeader = await audrey.download(file.downloadId);
    expect(byHeader.status).toBe(200);
    const rita = await personClient(h, 'rita', ['reviewer']);
    expect((await rita.download(file.downloadId)).status).toBe(404);
    expect(
      (await rawRequest(url(`${audrey.downloads}${file.downloadId}`), { headers: { cookie: `ew_token=${h.token}; ew_seat=${rita.sessionId}` } })).status,
    ).toBe(404);
    expect((await rawRequest(url(`${audrey.downloads}${file.downloadId}`), { headers: { cookie: `ew_token=${h.token}` } })).status).toBe(404);
    expect((await rawRequest(url(`${audrey.downloads}${file.downloadId}`), { headers: { cookie: seatCookie } })).status).toBe(401);
    expect((await rawRequest(url(`${audrey.downloads}dl_AAAAAAAAAAAAAAAAAAAAAA`), { headers: { cookie: `ew_token=${h.token}; ${seatCookie}` } })).status).toBe(
      404,
    );

    // A locked seat gets none until the person unlocks it.
    await audrey.call('lockSeat', {});
    expect((await audrey.download(file.downloadId)).status).toBe(404);
    await audrey.call('unlockSeat', { password: PERSON_PASSWORD });
    expect((await audrey.download(file.downloadId)).status).toBe(200);

    clock.advance(61);
    expect((await audrey.download(file.downloadId)).status).toBe(404);
    expect(transferFiles(h.dataDir)).toEqual([]);
  });
});
