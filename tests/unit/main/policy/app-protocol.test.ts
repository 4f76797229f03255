import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appResponsePlan, ELECTRON_CSP } from '../../../../main/policy/app-protocol.ts';
import { tempDir } from '../../../support/temp.ts';

let root: string;
let bundle: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir: root, cleanup } = tempDir('earwitness-app-protocol-'));
  bundle = join(root, 'renderer');
  mkdirSync(join(bundle, 'assets'), { recursive: true });
  writeFileSync(join(bundle, 'index.html'), '<!doctype html><title>ew</title>');
  writeFileSync(join(bundle, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(bundle, 'assets', 'style.css'), 'body{}');
  writeFileSync(join(root, 'secret.txt'), 'the database password');
  symlinkSync(join(root, 'secret.txt'), join(bundle, 'assets', 'link.txt'));
  symlinkSync(root, join(bundle, 'up'));
});
afterAll(() => cleanup());

const get = (url: string, method = 'GET') => appResponsePlan({ url, method }, bundle);

describe('app:// serves the renderer bundle', () => {
  it('serves its files with their types and the CSP as a response header', () => {
    const index = get('app://app/index.html');
    expect(index).toMatchObject({ status: 200, file: join(bundle, 'index.html') });
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.headers['content-security-policy']).toBe(ELECTRON_CSP);
    expect(index.headers['cache-control']).toBe('no-store');
    expect(get('app://app/assets/index-abc.js')).toMatchObject({ status: 200, headers: { 'content-type': expect.stringMatching(/javascript/) } });
    expect(get('app://app/assets/style.css', 'HEAD')).toMatchObject({ status: 200 });
    expect(get('app://app/')).toMatchObject({ status: 200, file: join(bundle, 'index.html') });
  });

  it('answers client-side routes with index.html, but a missing asset with 404', () => {
    expect(get('app://app/alerts/12')).toMatchObject({ status: 200, file: join(bundle, 'index.html') });
    expect(get('app://app/assets/missing.js')).toMatchObject({ status: 404, file: null });
  });

  it('never leaves the bundle, however the path is spelled', () => {
    for (const url of [
      'app://app/../secret.txt',
      'app://app/assets/../../secret.txt',
      'app://app/%2e%2e/secret.txt',
      'app://app/%2E%2E%2Fsecret.txt',
      'app://app/assets%2F..%2F..%2Fsecret.txt',
      'app://app/..%5csecret.txt',
      'app://app/assets/link.txt',
      'app://app/up/secret.txt',
      'app://app/index.html%00.js',
      'app://app/%252e%252e/secret.txt',
      `app://app/${encodeURIComponent(join(root, 'secret.txt'))}`,
    ]) {
      const plan = get(url);
      expect(plan.file === null || plan.file === join(bundle, 'index.html'), url).toBe(true);
      expect(plan.file ?? '').not.toContain('secret');
    }
  });

  it('serves only the app host, and only reads', () => {
    expect(get('app://other/index.html')).toMatchObject({ status: 404 });
    expect(get('clip://app/index.html')).toMatchObject({ status: 404 });
    expect(get('app://app/index.html', 'POST')).toMatchObject({ status: 405 });
  });

  it('sends the CSP with refusals too, and says when the bundle is not built', () => {
    const plan = appResponsePlan({ url: 'app://app/index.html', method: 'GET' }, join(root, 'no-such-dir'));
    expect(plan).toMatchObject({ status: 404, body: expect.stringMatching(/npm run build/) });
    expect(plan.headers['content-security-policy']).toBe(ELECTRON_CSP);
  });
});

describe('the Electron CSP', () => {
  it('allows scripts only from the bundle and names no outside origin', () => {
    expect(ELECTRON_CSP).toContain("script-src 'self'");
    expect(ELECTRON_CSP).toContain("object-src 'none'");
    expect(ELECTRON_CSP).toMatch(/media-src [^;]*clip:/);
    expect(ELECTRON_CSP).not.toMatch(/https?:|ws:|unsafe-eval|\*/);
    expect(ELECTRON_CSP).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});
