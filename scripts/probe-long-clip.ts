/**
 * How the labelling view copes with a long field recording: `npx tsx scripts/probe-long-clip.ts [seconds]`
 * (after `npx vite build`; default 300 s at 48 kHz, a pulse every 0.5 s). Prints the milliseconds to
 * the waveform, the decoded samples (and pulses found), the spectrogram, ten zoom steps to the
 * finest, twenty pulse steps, and the page's JS heap afterwards.
 */
import { chromium } from '@playwright/test';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { launchOptions } from '../tests/support/browser.ts';
import { folderFiles, personClient, startHostProcess } from '../tests/support/host.ts';
import { pulseSamples } from '../tests/support/labelling.ts';
import { encodeWav } from '../src/audio/wav.ts';
import { signInPage } from '../tests/support/seat-page.ts';
import { tempDir } from '../tests/support/temp.ts';
const data = tempDir('ew-long-');
const host = await startHostProcess({ dataDir: join(data.dir, 's') });
const browser = await chromium.launch(launchOptions());
try {
  const sr = 48000,
    secs = Number(process.argv[2] ?? 300);
  const pulses = Array.from({ length: secs * 2 }, (_, i) => Math.round((i * 0.5 + 0.1) * sr));
  mkdirSync(join(data.dir, 'a'));
  writeFileSync(join(data.dir, 'a', 'long.wav'), encodeWav([pulseSamples(sr, sr * secs, pulses, 3)], { format: 'pcm16', sampleRate: sr }));
  const tina = await personClient(host, 'tina', ['trainer']);
  const p = await tina.call('createProject', { name: 'Long' });
  const { jobId } = await tina.call('startAudioFileImport', {
    projectId: p.id,
    files: { kind: 'upload', uploadId: await tina.upload(folderFiles(join(data.dir, 'a'))) },
  });
  while ((await tina.call('getDatasetJob', { jobId })).state === 'running') await new Promise((r) => setTimeout(r, 100));
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await signInPage(page, host, 'tina');
  const t0 = Date.now();
  await page.getByTestId('project-item').click();
  await page.locator('[data-testid=label-track][data-drawn=true]').waitFor({ timeout: 60000 });
  console.log('drawn', Date.now() - t0);
  await page.locator('[data-testid=label-track][data-samples=loaded]').waitFor({ timeout: 120000 });
  console.log('decoded', Date.now() - t0, await page.getByTestId('label-view').getAttribute('data-pulses'));
  await page.locator('[data-testid=label-track][data-spectrogram=drawn]').waitFor({ timeout: 120000 });
  console.log('spectrogram', Date.now() - t0);
  const t1 = Date.now();
  for (let i = 0; i < 10; i++) await page.keyboard.press('z');
  await page.keyboard.press(']');
  await page.waitForTimeout(500);
  console.log('zoomed', Date.now() - t1, await page.getByTestId('label-view').getAttribute('data-step-samples'));
  const t2 = Date.now();
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press(']');
  }
  await page.evaluate(() => new Promise((r) => (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => r(null))));
  console.log('20 pulses stepped', Date.now() - t2, await page.getByTestId('label-view').getAttribute('data-cursor-sample'));
  const m = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize);
  console.log('heap MB', m && m / 1e6);
} finally {
  await browser.close();
  await host.stop();
  data.cleanup();
}
