import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { missing } from '../../support/skip.ts';

const linuxX64 = process.platform === 'linux' && process.arch === 'x64';

describe('the browser the tests drive', () => {
  const saved = process.env['CHROMIUM_PATH'];
  afterEach(() => {
    if (saved === undefined) delete process.env['CHROMIUM_PATH'];
    else process.env['CHROMIUM_PATH'] = saved;
    vi.resetModules();
  });

  it('takes CHROMIUM_PATH first, and refuses one that does not exist rather than guessing another', async () => {
    process.env['CHROMIUM_PATH'] = '/nonexistent/chrome';
    const { findBrowser } = await import('../../support/browser.ts');
    expect(() => findBrowser()).toThrow('CHROMIUM_PATH=/nonexistent/chrome does not exist');
    vi.resetModules();
    process.env['CHROMIUM_PATH'] = process.execPath;
    const again = await import('../../support/browser.ts');
    expect(again.findBrowser()).toMatchObject({ executablePath: process.execPath, source: 'CHROMIUM_PATH', args: [] });
  });

  it.skipIf(missing(linuxX64, 'the packaged Chromium starts', 'the Chromium inside @sparticuz/chromium is built for Linux x64 only'))(
    'unpacks the Chromium inside @sparticuz/chromium, and it starts with its own libraries',
    async () => {
      const { packagedChromium } = await import('../../support/browser.ts');
      const b = packagedChromium();
      expect(b.source).toBe('@sparticuz/chromium');
      expect(b.env?.['LD_LIBRARY_PATH']).toContain('earwitness-chromium');
      const r = spawnSync(b.executablePath, ['--version'], { env: b.env, encoding: 'utf8', timeout: 30_000 });
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^(Chromium|Google Chrome|HeadlessChrome)?\s*\d+\.\d+\.\d+\.\d+/);
    },
    120_000,
  );
});
