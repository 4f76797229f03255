/**
 * `npm run icons`: renders resources/build/icon.svg, the application icon, to the PNGs the
 * installers take (electron-builder reads resources/build): icon.png at 1024 px (macOS makes its
 * .icns from it, Windows its .ico) and icons/NxN.png for Linux's hicolor theme. Drawn by the same
 * Chromium the tests use (tests/support/browser.ts). The PNGs are committed; run this after
 * changing the SVG.
 */
import { chromium } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchOptions } from '../tests/support/browser.ts';

const DIR = fileURLToPath(new URL('../resources/build/', import.meta.url));
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

const svg = readFileSync(join(DIR, 'icon.svg'), 'utf8');
const browser = await chromium.launch(launchOptions());
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  const render = async (size: number): Promise<Buffer> => {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent">${svg.replace('width="1024" height="1024"', `width="${size}" height="${size}"`)}</body></html>`,
    );
    return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  };
  mkdirSync(join(DIR, 'icons'), { recursive: true });
  for (const size of LINUX_SIZES) {
    const png = await render(size);
    writeFileSync(join(DIR, 'icons', `${size}x${size}.png`), png);
    if (size === 1024) writeFileSync(join(DIR, 'icon.png'), png);
    process.stdout.write(`${size}x${size}: ${png.length} bytes\n`);
  }
} finally {
  await browser.close();
}
