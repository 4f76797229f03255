import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../src/core/core.ts';
import { appResponder, clipResponder } from '../../../main/responders.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { tempDir } from '../../support/temp.ts';

let dir: string;
let cleanup: () => void;
let core: Core;
let sha: string;
let wav: Buffer;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('earwitness-responders-'));
  core = openCore({ dataDir: join(dir, 'data') });
  const session = core.openSession('cli');
  const { outcomes } = await core.call(session, 'importPaths', { paths: [writeSimpleBundle(join(dir, 'b'), { id: 'R-1' }).dir] });
  const alert = await core.call(session, 'getAlert', { id: outcomes[0]!.alertId! });
  sha = alert.tracks[0]!.clip.sha256;
  wav = readFileSync(core.clips.path(sha));
  mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Earwitness</title>');
  writeFileSync(join(dir, 'renderer', 'assets', 'a.js'), 'export {}');
});
afterAll(async () => {
  await core.close();
  cleanup();
});

describe('the clip:// responder, on a real core and clip store', () => {
  it('streams a byte range with 206 and the exact bytes', async () => {
    const res = await clipResponder(core)(new Request(`clip://audio/${sha}`, { headers: { range: 'bytes=8-15' } }));
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 8-15/${wav.length}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(wav.subarray(8, 16))).toBe(true);
  });
  it('streams the whole clip without a range', async () => {
    const res = await clipResponder(core)(new Request(`clip://audio/${sha}`));
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(wav)).toBe(true);
  });
  it('answers 404 for a clip the store does not know, even if a file sits in its place', async () => {
    const stranger = 'cd'.repeat(32);
    mkdirSync(join(core.clips.dir, 'cd'), { recursive: true });
    writeFileSync(core.clips.path(stranger), 'RIFF not ours');
    expect((await clipResponder(core)(new Request(`clip://audio/${stranger}`))).status).toBe(404);
    expect((await clipResponder(core)(new Request('clip://audio/..%2F..%2Fearwitness.sqlite'))).status).toBe(404);
  });
  it('answers HEAD without a body and 416 past the end', async () => {
    const head = await clipResponder(core)(new Request(`clip://audio/${sha}`, { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(wav.length));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    expect((await clipResponder(core)(new Request(`clip://audio/${sha}`, { headers: { range: `bytes=${wav.length}-` } }))).status).toBe(416);
  });
});

describe('the app:// responder', () => {
  it('serves the bundle with the CSP header, and refuses to leave it', async () => {
    const app = appResponder(join(dir, 'renderer'));
    const index = await app(new Request('app://app/index.html'));
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>Earwitness</title>');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await app(new Request('app://app/assets/a.js'))).headers.get('content-type')).toMatch(/javascript/);
    const escape = await app(new Request('app://app/%2e%2e/data/earwitness.sqlite'));
    expect(escape.status).toBe(404);
    expect(escape.headers.get('content-security-policy')).toBeTruthy();
  });
});
