/**
 * A screenshot of the labelling view for the README (dark theme, 1366x768): a trainer on a clip of
 * a project imported from a folder, a few pulses labelled (one with a band), one label chosen, the
 * spectrogram on. Runs the real host on a fresh data folder; `npx tsx scripts/screenshot-labelling.ts`
 * after `npx vite build`. Apart from scripts/screenshots.ts so the two can be run alone.
 */
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchOptions } from '../tests/support/browser.ts';
import { folderFiles, personClient, REPO, startHostProcess } from '../tests/support/host.ts';
import { writePulseFolder } from '../tests/support/labelling.ts';
import { signInPage } from '../tests/support/seat-page.ts';
import { tempDir } from '../tests/support/temp.ts';

async function main() {
  const { values } = parseArgs({ options: { out: { type: 'string', default: join(REPO, 'docs/screenshots') }, keys: { type: 'boolean', default: false } } });
  const out = values.out!;
  mkdirSync(out, { recursive: true });
  const data = tempDir('earwitness-shots-');
  const audio = tempDir('earwitness-shot-audio-');
  const host = await startHostProcess({ dataDir: data.dir });
  const browser = await chromium.launch(launchOptions());
  try {
    const root = join(audio.dir, 'range-day');
    const files = writePulseFolder(root, { files: 6, perFile: 8, seconds: 2.5 });
    const tina = await personClient(host, 'tina', ['trainer']);
    const project = await tina.call('createProject', { name: 'Range day 2026-03', description: 'Pistol and rifle at 50-400 m, four recorders' });
    const { jobId } = await tina.call('startAudioFileImport', {
      projectId: project.id,
      files: { kind: 'upload', uploadId: await tina.upload(folderFiles(root)) },
    });
    for (let i = 0; i < 100; i++) {
      const job = await tina.call('getDatasetJob', { jobId });
      if (job.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const { clips } = await tina.call('listProjectClips', { projectId: project.id });
    const clip = clips.find((c) => c.name.endsWith(files[0]!.path))!;
    const cls = (name: string) => project.classes.find((c) => c.name === name)!.id;
    const p = files[0]!.pulses;
    const sr = files[0]!.sampleRate;
    await tina.call('createLabel', { clipId: clip.id, classId: cls('muzzle_blast'), startSample: p[0]!, endSample: p[0]! + 200 });
    await tina.call('createLabel', { clipId: clip.id, classId: cls('echo'), startSample: p[0]! + 520, endSample: p[0]! + 900, lowHz: 400, highHz: 2600 });
    await tina.call('createLabel', { clipId: clip.id, classId: cls('muzzle_blast'), startSample: p[1]!, endSample: p[1]! + 210 });
    await tina.call('createLabel', { clipId: clip.id, classId: cls('shockwave'), startSample: p[2]! - 40, endSample: p[2]! + 120, lowHz: 1200, highHz: 7200 });
    await tina.call('createLabel', { clipId: clip.id, classId: cls('noise'), startSample: Math.round(sr * 1.6), endSample: Math.round(sr * 1.75) });

    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, colorScheme: 'dark' });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await signInPage(page, host, 'tina');
    await page.getByTestId('project-item').first().click();
    const view = page.getByTestId('label-view');
    await view.waitFor();
    await page.locator('[data-testid=label-track][data-spectrogram=drawn]').waitFor({ timeout: 15_000 });
    // A trainer at work: zoomed in on the first pulses, the echo (with its band) chosen.
    await page.keyboard.press(']');
    await page.keyboard.press('z');
    await page.keyboard.press('z');
    for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowDown');
    await page.locator('[data-testid=label-track][data-spectrogram=drawn]').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, 'labelling.png') });
    if (values.keys) {
      await page.keyboard.press('?');
      await page.getByTestId('keys-overlay').waitFor();
      await page.screenshot({ path: join(out, 'labelling-keys.png') });
    }
    console.log(`screenshot written to ${join(out, 'labelling.png')}`);
  } finally {
    await browser.close();
    await host.stop();
    data.cleanup();
    audio.cleanup();
  }
}

await main();
