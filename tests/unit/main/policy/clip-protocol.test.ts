import { describe, expect, it } from 'vitest';
import { clipResponsePlan, clipShaFromUrl } from '../../../../main/policy/clip-protocol.ts';

const sha = 'ab'.repeat(32);

describe('clip:// URLs', () => {
  it('name one clip by its SHA-256', () => {
    expect(clipShaFromUrl(`clip://audio/${sha}`)).toBe(sha);
  });
  it('normalise dot segments as any URL parser does, which cannot leave the clip store', () => {
    expect(clipShaFromUrl(`clip://audio/../${sha}`)).toBe(sha);
    expect(clipShaFromUrl(`clip://audio/x/../../../${sha}`)).toBe(sha);
  });
  it('refuse anything else', () => {
    for (const u of [
      `clip://other/${sha}`,
      `clip://audio/${sha}/x`,
      `clip://audio/${sha}?x=1`,
      `clip://audio/${sha.toUpperCase()}`,
      `clip://audio/${sha.slice(1)}`,
      'clip://audio/..%2F..%2Fetc%2Fpasswd',
      `app://audio/${sha}`,
      `clip://u:p@audio/${sha}`,
      'nonsense',
    ]) {
      expect(clipShaFromUrl(u), u).toBeNull();
    }
  });
});

describe('clip responses', () => {
  it('send the whole file without a Range header', () => {
    const p = clipResponsePlan('GET', null, 1000, sha);
    expect(p).toMatchObject({ status: 200, range: { start: 0, end: 999 }, body: true });
    expect(p.headers).toMatchObject({
      'content-length': '1000',
      'accept-ranges': 'bytes',
      'content-type': 'audio/wav',
      'access-control-allow-origin': 'app://app',
    });
  });
  it('stream the asked range with 206 and Content-Range', () => {
    expect(clipResponsePlan('GET', 'bytes=100-199', 1000, sha)).toMatchObject({
      status: 206,
      range: { start: 100, end: 199 },
      headers: { 'content-range': 'bytes 100-199/1000', 'content-length': '100' },
    });
    expect(clipResponsePlan('GET', 'bytes=900-', 1000, sha)).toMatchObject({ status: 206, range: { start: 900, end: 999 } });
    expect(clipResponsePlan('GET', 'bytes=-10', 1000, sha)).toMatchObject({ status: 206, range: { start: 990, end: 999 } });
    expect(clipResponsePlan('GET', 'bytes=0-99999', 1000, sha)).toMatchObject({ status: 206, range: { start: 0, end: 999 } });
  });
  it('answer 416 for a range past the end, and ignore ranges they cannot honour', () => {
    expect(clipResponsePlan('GET', 'bytes=1000-', 1000, sha)).toMatchObject({ status: 416, headers: { 'content-range': 'bytes */1000' }, body: false });
    expect(clipResponsePlan('GET', 'bytes=5-1', 1000, sha)).toMatchObject({ status: 416 });
    expect(clipResponsePlan('GET', 'bytes=0-1,5-9', 1000, sha)).toMatchObject({ status: 200 });
    expect(clipResponsePlan('GET', 'lines=1-2', 1000, sha)).toMatchObject({ status: 200 });
  });
  it('send headers only for HEAD, 404 for unknown clips, 405 for writes', () => {
    expect(clipResponsePlan('HEAD', 'bytes=0-9', 1000, sha)).toMatchObject({ status: 206, body: false });
    expect(clipResponsePlan('GET', null, null, sha)).toMatchObject({ status: 404, body: false });
    expect(clipResponsePlan('PUT', null, 1000, sha)).toMatchObject({ status: 405 });
    expect(clipResponsePlan('OPTIONS', null, null, sha)).toMatchObject({
      status: 204,
      body: false,
      headers: { 'access-control-allow-origin': 'app://app', 'access-control-allow-headers': 'range' },
    });
    expect(clipResponsePlan('GET', null, 0, sha)).toMatchObject({ status: 200, body: false, headers: { 'content-length': '0' } });
  });
});
