import { expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import { folderFiles, personClient, startHostProcess, type ApiClient, type RunningHost } from '../support/host.ts';
import { countPointerEvents, pointerEvents } from '../support/keyboard-only.ts';
import { writePulseFolder } from '../support/labelling.ts';
import { it } from '../support/page-errors.ts';
import { signInPage } from '../support/seat-page.ts';
import { tempDir } from '../support/temp.ts';

const SHOTS = process.env.EARWITNESS_SCREENSHOTS ?? join(process.cwd(), 'test-results', 'labelling');
const labelCount = (page: Page, n: number) => expect(page.getByTestId('clip-label-count')).toHaveText(`${n} label${n === 1 ? '' : 's'}`);
const cursorAt = (page: Page) => page.getByTestId('label-view').getAttribute('data-cursor-sample').then(Number);
async function clipReady(page: Page, name: string) {
  await expect(page.locator('.clip-header h1')).toHaveText(new RegExp(`${name.replace('.', '\\.')}$`));
  await expect(page.locator('[data-testid=label-track][data-samples=loaded]')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('label-view')).toHaveAttribute('data-pulses', '10');
}

it.describe('labelling at a labeller\u2019s pace', () => {
  let data: ReturnType<typeof tempDir>;
  let host: RunningHost;
  let tina: ApiClient;

  it.beforeEach(async () => {
    data = tempDir('earwitness-e2e-pace-');
    host = await startHostProcess({ dataDir: join(data.dir, 'store') });
    tina = await personClient(host, 'tina', ['trainer']);
  });
  it.afterEach(async () => {
    await host.stop();
    data.cleanup();
  });

  it('S takes the pulse to where its energy dies away; the second bank, undo and redo, and clip states with the next clip to do, all from the keyboard', async ({
    page,
  }) => {
    it.setTimeout(180_000);
    await page.setViewportSize({ width: 1366, height: 768 });
    const files = writePulseFolder(join(data.dir, 'field'), { files: 3, perFile: 10 });
    const project = await tina.call('createProject', { name: 'At pace' });
    const uploadId = await tina.upload(folderFiles(join(data.dir, 'field')));
    const { jobId } = await tina.call('startAudioFileImport', { projectId: project.id, files: { kind: 'upload', uploadId } });
    await expect.poll(async () => (await tina.call('getDatasetJob', { jobId })).state, { timeout: 30_000 }).toBe('done');

    await countPointerEvents(page);
    await signInPage(page, host, 'tina');
    await page.getByTestId('project-item').focus();
    await page.keyboard.press('Enter');
    const clips = (await tina.call('listProjectClips', { projectId: project.id })).clips;
    const nameOf = (i: number) => files.find((f) => clips[i]!.name.endsWith(f.path))!.path;
    await clipReady(page, nameOf(0));
    await page.getByTestId('label-view').focus();

    // S on the first pulse: from its onset to where the decay (3 ms time constant) meets the noise, not the few samples over the threshold.
    const sr = files[0]!.sampleRate;
    await page.keyboard.press(']');
    const pulse = await cursorAt(page);
    await page.keyboard.press('s');
    await page.keyboard.press('1');
    await labelCount(page, 1);
    let labels = (await tina.call('listLabels', { projectId: project.id })).labels;
    expect(labels[0]!.startSample).toBe(pulse);
    const extentMs = ((labels[0]!.endSample - labels[0]!.startSample) / sr) * 1000;
    expect(extentMs).toBeGreaterThan(8);
    expect(extentMs).toBeLessThan(40);

    // The second bank: 0 then 5 is class 14 (not_reviewable in the default taxonomy); the overlay lists it.
    await page.keyboard.press(']');
    await page.keyboard.press('s');
    await page.keyboard.press('0');
    await page.keyboard.press('5');
    await labelCount(page, 2);
    labels = (await tina.call('listLabels', { projectId: project.id })).labels;
    expect(labels.map((l) => l.label).sort()).toEqual(['muzzle_blast', 'not_reviewable']);
    // After the bank's one key, digits are the first bank's again.
    await page.keyboard.press(']');
    await page.keyboard.press('s');
    await page.keyboard.press('3');
    await labelCount(page, 3);
    await page.keyboard.press('?');
    const overlay = page.getByRole('dialog');
    await expect(overlay).toContainText('0, then 1-9');
    await expect(overlay).toContainText('Second bank: 1 vehicle_backfire');
    await expect(overlay).toContainText('Ctrl ⇧ Z, Ctrl Y');
    await page.screenshot({ path: join(SHOTS, 'keys-overlay-1366.png') });
    await page.keyboard.press('Escape');

    // Undo twice, redo twice: the labels come back; a new change after an undo clears the redo.
    await page.getByTestId('label-view').focus();
    await page.keyboard.press('Control+z');
    await labelCount(page, 2);
    await page.keyboard.press('Control+z');
    await labelCount(page, 1);
    await page.keyboard.press('Control+Shift+Z');
    await labelCount(page, 2);
    await page.keyboard.press('Control+y');
    await labelCount(page, 3);
    await expect(page.getByTestId('label-notice')).toContainText('Redone');
    await page.keyboard.press('Control+y');
    await expect(page.getByTestId('label-notice')).toContainText('Nothing to redo');
    labels = (await tina.call('listLabels', { projectId: project.id })).labels;
    expect(labels.map((l) => l.label).sort()).toEqual(['echo', 'muzzle_blast', 'not_reviewable']);

    // Clip states: D marks this one done and opens the next to do; K skips that; N wraps round to what is left.
    await expect(page.getByTestId('clip-state')).toHaveAttribute('data-state', 'todo');
    await page.keyboard.press('d');
    await clipReady(page, nameOf(1));
    await page.keyboard.press('k');
    await clipReady(page, nameOf(2));
    await expect(page.getByTestId('clip-progress')).toContainText('1 done, 1 skipped, 1 to do');
    await page.keyboard.press('PageUp');
    await clipReady(page, nameOf(1));
    await expect(page.getByTestId('clip-state')).toHaveAttribute('data-state', 'skipped');
    await page.keyboard.press('n');
    await clipReady(page, nameOf(2));
    await page.getByTestId('label-view').focus();
    await page.screenshot({ path: join(SHOTS, 'clip-states-1366.png') });
    await page.keyboard.press('d');
    await expect(page.getByTestId('label-notice')).toContainText('No clip left to do');
    await expect(page.locator('[data-testid=clip-item][data-state=done]')).toHaveCount(2);
    const states = await tina.call('listClipStates', { projectId: project.id });
    expect(states.states.map((s) => [s.clipId, s.state])).toEqual([
      [clips[0]!.id, 'done'],
      [clips[1]!.id, 'skipped'],
      [clips[2]!.id, 'done'],
    ]);
    // Another trainer's states are their own.
    const theo = await personClient(host, 'theo', ['trainer']);
    expect((await theo.call('listClipStates', { projectId: project.id })).states).toEqual([]);
    expect(await pointerEvents(page)).toBe(0);
  });

  it("two trainers' agreement per class, in the trainer's clips panel and the auditor's Labellers tab", async ({ page }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    const [file] = writePulseFolder(join(data.dir, 'field'), { files: 1, perFile: 10 });
    const project = await tina.call('createProject', { name: 'Two ears' });
    const uploadId = await tina.upload(folderFiles(join(data.dir, 'field')));
    const { jobId } = await tina.call('startAudioFileImport', { projectId: project.id, files: { kind: 'upload', uploadId } });
    await expect.poll(async () => (await tina.call('getDatasetJob', { jobId })).state, { timeout: 30_000 }).toBe('done');
    const [clip] = (await tina.call('listProjectClips', { projectId: project.id })).clips;
    const theo = await personClient(host, 'theo', ['trainer']);
    const cls = (name: string) => project.classes.find((c) => c.name === name)!.id;
    const ms = file!.sampleRate / 1000;
    // Both label the first four pulses muzzle_blast (theo 5 ms later); tina calls the fifth an echo, theo noise.
    for (const [k, p] of file!.pulses.slice(0, 5).entries()) {
      await tina.call('createLabel', { clipId: clip!.id, classId: cls(k === 4 ? 'echo' : 'muzzle_blast'), startSample: p, endSample: p + 10 * ms });
      await theo.call('createLabel', { clipId: clip!.id, classId: cls(k === 4 ? 'noise' : 'muzzle_blast'), startSample: p + 5 * ms, endSample: p + 15 * ms });
    }
    await signInPage(page, host, 'tina');
    await page.getByTestId('project-item').click();
    await page.getByTestId('agreement-section').locator('summary').click();
    const table = page.getByTestId('labeller-agreement');
    await expect(table.locator('[data-testid=agreement-row][data-class=muzzle_blast] [data-testid=agreement-f]')).toHaveText('100%');
    await expect(table.locator('[data-testid=agreement-row][data-class=echo] [data-testid=agreement-f]')).toHaveText('0%');
    await expect(table.locator('[data-testid=agreement-row][data-class=noise] [data-testid=agreement-f]')).toHaveText('0%');
    // Onsets 5 ms apart still agree at the narrowest tolerance, 5 ms (inclusive).
    await table.getByTestId('agreement-tolerance').selectOption('5');
    await expect(table.locator('[data-testid=agreement-row][data-class=muzzle_blast] [data-testid=agreement-f]')).toHaveText('100%');
    await page.screenshot({ path: join(SHOTS, 'agreement-trainer-1366.png') });

    const audit = await page
      .context()
      .browser()!
      .newContext({ viewport: { width: 1366, height: 768 }, colorScheme: 'dark' });
    const ap = await audit.newPage();
    await personClient(host, 'ava', ['auditor']);
    await signInPage(ap, host, 'ava');
    await ap.getByTestId('mode-audit').click();
    await ap.getByTestId('audit-tab-labellers').click();
    const view = ap.getByTestId('labellers-view');
    await expect(view.locator('[data-testid=agreement-row][data-class=muzzle_blast] [data-testid=agreement-f]')).toHaveText('100%');
    await expect(view.getByRole('columnheader', { name: 'theo · tina' })).toBeVisible();
    await ap.screenshot({ path: join(SHOTS, 'agreement-auditor-1366.png') });
    await audit.close();
  });
});
