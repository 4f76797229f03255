import { expect, type Page } from '@playwright/test';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '../../src/audio/wav.ts';
import type { Label } from '../../src/contract/index.ts';
import { parseCsv } from '../support/dataset.ts';
import { writeSimpleBundle } from '../support/bundles.ts';
import { adminClient, folderFiles, personClient, startHostProcess, type ApiClient, type RunningHost } from '../support/host.ts';
import { countPointerEvents, pointerEvents } from '../support/keyboard-only.ts';
import { writePulseFolder, type PulseFile } from '../support/labelling.ts';
import { signInPage } from '../support/seat-page.ts';
import { tempDir } from '../support/temp.ts';
import { it } from '../support/page-errors.ts';
import { unzipTop } from '../support/zip.ts';

/** The clip on screen, once its samples are decoded (so pulses are found to the sample). */
async function clipReady(page: Page, name: string): Promise<{ clipId: number; step: number }> {
  const view = page.getByTestId('label-view');
  await expect(page.locator('.clip-header h1')).toHaveText(new RegExp(`${name.replace('.', '\\.')}$`));
  await expect(page.locator('[data-testid=label-track][data-samples=loaded]')).toBeVisible({ timeout: 15_000 });
  await expect(view).toHaveAttribute('data-pulses', '10');
  return { clipId: Number(await view.getAttribute('data-clip-id')), step: Number(await view.getAttribute('data-step-samples')) };
}
const labelCount = (page: Page, n: number) => expect(page.getByTestId('clip-label-count')).toHaveText(`${n} label${n === 1 ? '' : 's'}`);
const cursorAt = (page: Page) => page.getByTestId('label-view').getAttribute('data-cursor-sample').then(Number);

/** A Raven selection table read by the published column layout, apart from our reader. */
function readRaven(
  text: string,
): { selection: number; view: string; channel: number; begin: number; end: number; low: number; high: number; annotation: string }[] {
  const [head, ...rows] = text.replace(/\n$/, '').split('\n');
  const cols = head!.split('\t');
  const at = (name: string) => {
    const i = cols.indexOf(name);
    expect(i, `column ${name}`).toBeGreaterThanOrEqual(0);
    return i;
  };
  return rows.map((r) => {
    const c = r.split('\t');
    expect(c).toHaveLength(cols.length);
    return {
      selection: Number(c[at('Selection')]),
      view: c[at('View')]!,
      channel: Number(c[at('Channel')]),
      begin: Number(c[at('Begin Time (s)')]),
      end: Number(c[at('End Time (s)')]),
      low: Number(c[at('Low Freq (Hz)')]),
      high: Number(c[at('High Freq (Hz)')]),
      annotation: c[at('Annotation')]!,
    };
  });
}

it.describe('the labelling mode', () => {
  let data: ReturnType<typeof tempDir>;
  let host: RunningHost;
  let tina: ApiClient;

  it.beforeEach(async () => {
    data = tempDir('earwitness-e2e-label-');
    host = await startHostProcess({ dataDir: join(data.dir, 'store') });
    tina = await personClient(host, 'tina', ['trainer']);
  });
  it.afterEach(async () => {
    await host.stop();
    data.cleanup();
  });

  it('a trainer imports a folder, labels 30 pulses with the keyboard alone, exports, and the files hold exactly those labels', async ({ page }) => {
    it.setTimeout(180_000);
    const root = join(data.dir, 'field-day');
    const files = writePulseFolder(root, { files: 3, perFile: 10 });
    await countPointerEvents(page);
    await signInPage(page, host, 'tina');
    // A trainer who does not review starts in the labelling mode.
    await expect(page.getByTestId('labelling')).toBeVisible();
    await expect(page.getByTestId('mode-labelling')).toHaveAttribute('aria-current', 'page');

    // A project, then the folder, chosen in the browser's folder picker: its files are uploaded with their paths.
    await page.getByTestId('project-name').focus();
    await page.keyboard.type('Field day');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('project-title')).toHaveText('Field day');
    await page.getByTestId('import-audio-folder').setInputFiles(root);
    await expect(page.getByTestId('import-result')).toContainText('3 imported');
    await expect(page.getByTestId('clip-item')).toHaveCount(3);
    await page.keyboard.press('Escape');

    const byName = new Map(files.map((f) => [f.path, f]));
    const names = await page.getByTestId('clip-item').allTextContents();
    const order: PulseFile[] = names.map((n) => byName.get(n.replace(/\d+$/, '').replace(/^field-day\//, ''))!);
    expect(order.every(Boolean), names.join(', ')).toBe(true);

    const expected: { clipId: number; file: PulseFile; pulse: number; class: string; endFromStep?: number }[] = [];
    for (const [i, file] of order.entries()) {
      if (i > 0) await page.keyboard.press('PageDown');
      const { clipId, step } = await clipReady(page, file.path);
      await labelCount(page, 0);
      for (const [k, pulse] of file.pulses.entries()) {
        await page.keyboard.press(']');
        await expect.poll(() => cursorAt(page)).toBe(pulse);
        if (k === 4) {
          // Edges at the cursor: start on the pulse, six steps on, end; class 3.
          await page.keyboard.press('i');
          for (let s = 0; s < 6; s++) await page.keyboard.press('ArrowRight');
          await page.keyboard.press('o');
          await page.keyboard.press('3');
          expected.push({ clipId, file, pulse, class: 'echo', endFromStep: pulse + 6 * step });
        } else {
          await page.keyboard.press('s');
          await page.keyboard.press(k % 3 === 2 ? '2' : '1');
          expected.push({ clipId, file, pulse, class: k % 3 === 2 ? 'shockwave' : 'muzzle_blast' });
        }
      }
      await labelCount(page, 10);
    }

    // Fix one by keyboard: choose the first label of the last clip, relabel it, widen and narrow its end, move it and back.
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    const chosen = page.locator('[data-testid=label-box].is-chosen');
    await expect(chosen).toHaveCount(1);
    await page.keyboard.press('4');
    await expect(page.getByTestId('sel-title')).toContainText('noise');
    const before = { start: await chosen.getAttribute('data-start-sample'), end: await chosen.getAttribute('data-end-sample') };
    await page.keyboard.press('Control+Shift+ArrowRight');
    await page.keyboard.press('Control+Shift+ArrowRight');
    await page.keyboard.press('Control+Shift+ArrowLeft');
    await page.keyboard.press('>');
    await page.keyboard.press('<');
    await page.keyboard.press('Control+Shift+ArrowLeft');
    await expect(chosen).toHaveAttribute('data-end-sample', before.end!);
    await expect(chosen).toHaveAttribute('data-start-sample', before.start!);
    await page.keyboard.press('1');
    await expect(page.getByTestId('sel-title')).toContainText('muzzle_blast');

    // A stray label on no pulse, deleted; the delete undone and done again.
    await page.keyboard.press('Escape');
    await page.keyboard.press('End');
    for (let s = 0; s < 3; s++) await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('i');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('o');
    await page.keyboard.press('9');
    await labelCount(page, 11);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('sel-title')).toContainText('firecracker');
    await page.keyboard.press('Delete');
    await labelCount(page, 10);
    await page.keyboard.press('Control+z');
    await labelCount(page, 11);
    // Undo chooses what it restored.
    await expect(page.getByTestId('sel-title')).toContainText('firecracker');
    await page.keyboard.press('Delete');
    await labelCount(page, 10);

    // What the core stores is what the keys set.
    const project = (await tina.call('listProjects', {})).projects[0]!;
    const { labels } = await tina.call('listLabels', { projectId: project.id });
    expect(labels).toHaveLength(30);
    const key = (l: { clipId: number; startSample: number }) => `${l.clipId}:${l.startSample}`;
    const stored = new Map(labels.map((l) => [key(l), l]));
    for (const e of expected) {
      const l = stored.get(key({ clipId: e.clipId, startSample: e.pulse }));
      expect(l, `a label starting on pulse ${e.pulse} of ${e.file.path}`).toBeDefined();
      expect(l!.label).toBe(e.class);
      if (e.endFromStep) expect(l!.endSample).toBe(e.endFromStep);
      else {
        // S selects the pulse as detected: from its first sample while it rings above the noise (a few ms).
        expect(l!.endSample - l!.startSample).toBeGreaterThan(e.file.sampleRate * 0.004);
        expect(l!.endSample - l!.startSample).toBeLessThan(e.file.sampleRate * 0.03);
      }
      expect(l!.lowHz).toBeNull();
    }

    // Export three ways from the keyboard: E opens the dialog, the format is chosen, Enter on Export starts; the zip
    // downloads by itself once made, and is unpacked here to read what a trainer would.
    const exportTo = async (format: string, dir: string) => {
      await page.keyboard.press('e');
      const dialog = page.getByTestId('export-dialog');
      await expect(dialog).toBeVisible();
      await dialog.getByTestId('export-format').selectOption(format);
      const download = page.waitForEvent('download', { timeout: 60_000 });
      await dialog.getByTestId('export-start').focus();
      await page.keyboard.press('Enter');
      await expect(dialog.getByTestId('export-result')).toContainText('30 labels', { timeout: 30_000 });
      const file = await download;
      expect(file.suggestedFilename()).toMatch(new RegExp(`^Field_day-${format}-\\d{8}-\\d{6}\\.zip$`));
      const top = await unzipTop(readFileSync((await file.path())!), dir);
      expect(`${top}.zip`).toBe(file.suggestedFilename());
      expect(existsSync(join(dir, 'earwitness-export.json'))).toBe(true);
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
    };
    const out = (f: string) => join(data.dir, `export-${f}`);
    await exportTo('jsonl', out('jsonl'));
    await exportTo('raven', out('raven'));
    await exportTo('audiofolder', out('audiofolder'));

    const exact = (list: { clipId: number; startSample: number; endSample: number; label: string }[]) =>
      list.map((l) => `${l.clipId}:${l.startSample}-${l.endSample}:${l.label}`).sort();
    const truth = exact(labels);

    const lines = readFileSync(join(out('jsonl'), 'labels.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Label & { clipId: number });
    expect(exact(lines)).toEqual(truth);

    const clipOfTable = new Map<string, number>();
    // Which clip a table is about: the manifest says; the sound its Begin File names sits beside it.
    const ravenManifest = JSON.parse(readFileSync(join(out('raven'), 'earwitness-export.json'), 'utf8')) as { files: { file: string; clipId: number }[] };
    for (const f of ravenManifest.files.filter((x) => x.file.endsWith('.selections.txt'))) clipOfTable.set(f.file, f.clipId);
    expect(clipOfTable.size).toBe(3);
    const fromRaven = [...clipOfTable].flatMap(([f, clipId]) => {
      const rows = readRaven(readFileSync(join(out('raven'), f), 'utf8'));
      expect(existsSync(join(out('raven'), f.replace('.Table.1.selections.txt', '.wav')))).toBe(true);
      const spectrogram = rows.filter((r) => r.view.startsWith('Spectrogram'));
      expect(rows.filter((r) => r.view.startsWith('Waveform'))).toHaveLength(spectrogram.length);
      return spectrogram.map((r) => {
        expect(r.channel).toBe(1);
        expect([r.low, r.high]).toEqual([0, 8000]); // no band: the full band
        return { clipId, startSample: Math.round(r.begin * 16000), endSample: Math.round(r.end * 16000), label: r.annotation };
      });
    });
    expect(exact(fromRaven)).toEqual(truth);

    const fromCsv = ['train', 'validation', 'test'].flatMap((split) => {
      let text: string;
      try {
        text = readFileSync(join(out('audiofolder'), split, 'metadata.csv'), 'utf8');
      } catch {
        return []; // a split with no group
      }
      const [head, ...rows] = parseCsv(text).filter((r) => r.length > 1);
      const col = (name: string) => head!.indexOf(name);
      return rows.map((r) => {
        const wav = readFileSync(join(out('audiofolder'), split, r[col('file_name')]!));
        const start = Number(r[col('start_sample')]);
        const end = Number(r[col('end_sample')]);
        expect(wav.readUInt32LE(wav.indexOf('data') + 4)).toBe((end - start) * 2); // the cut WAV holds exactly the labelled samples
        return { clipId: Number(r[col('clip_id')]), startSample: start, endSample: end, label: r[col('label')]! };
      });
    });
    expect(exact(fromCsv)).toEqual(truth);

    expect(await pointerEvents(page), 'mouse or pointer events').toBe(0);
  });
});

it.describe('the labelling mode with the mouse, the classes and a cancelled import', () => {
  let data: ReturnType<typeof tempDir>;
  let host: RunningHost;
  let tina: ApiClient;

  it.beforeEach(async () => {
    data = tempDir('earwitness-e2e-label-mouse-');
    host = await startHostProcess({ dataDir: join(data.dir, 'store') });
    tina = await personClient(host, 'tina', ['trainer']);
  });
  it.afterEach(async () => {
    await host.stop();
    data.cleanup();
  });

  /** Imports through the API (an upload, as the page sends one) and waits for the job. */
  async function importFolder(projectId: number, path: string) {
    const uploadId = await tina.upload(folderFiles(path));
    const { jobId } = await tina.call('startAudioFileImport', { projectId, files: { kind: 'upload', uploadId } });
    await expect.poll(async () => (await tina.call('getDatasetJob', { jobId })).state, { timeout: 30_000 }).toBe('done');
  }

  it('a selection dragged on the waveform or, with its band, on the spectrogram; labels moved, resized and relabelled by dragging and clicking', async ({
    page,
  }) => {
    const [file] = writePulseFolder(join(data.dir, 'one'), { files: 1, perFile: 10 });
    const project = await tina.call('createProject', { name: 'Mouse work' });
    await importFolder(project.id, join(data.dir, 'one'));
    await signInPage(page, host, 'tina');
    await page.getByTestId('project-item').click();
    await clipReady(page, file!.path);

    const sr = file!.sampleRate;
    const lane = (await page.locator('.label-lane').boundingBox())!;
    const specPx = 150;
    const xOf = (sample: number) => lane.x + (sample / file!.frames) * lane.width;
    const yOfHz = (hz: number) => lane.y + lane.height - specPx + (1 - hz / (sr / 2)) * specPx;
    const samplesPerPx = file!.frames / lane.width;
    const drag = async (from: { x: number; y: number }, to: { x: number; y: number }) => {
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 3 });
      await page.mouse.move(to.x, to.y, { steps: 3 });
      await page.mouse.up();
    };
    const waveY = lane.y + 60;
    const labels = async () => (await tina.call('listLabels', { projectId: project.id })).labels;

    // A range on the waveform, labelled from the class bar.
    const p0 = file!.pulses[0]!;
    await drag({ x: xOf(p0), y: waveY }, { x: xOf(p0 + 0.02 * sr), y: waveY });
    await expect(page.getByTestId('draft')).toBeVisible();
    await page
      .getByTestId('taxonomy-bar')
      .getByRole('button', { name: /muzzle_blast/ })
      .click();
    await expect.poll(async () => (await labels()).length).toBe(1);
    const [first] = await labels();
    expect(Math.abs(first!.startSample - p0)).toBeLessThanOrEqual(Math.ceil(samplesPerPx));
    expect(Math.abs(first!.endSample - (p0 + 0.02 * sr))).toBeLessThanOrEqual(Math.ceil(samplesPerPx));
    expect(first!.lowHz).toBeNull();

    // On the spectrogram: the band goes with the range (6 kHz down to 1 kHz), labelled with its key.
    const p3 = file!.pulses[3]!;
    await drag({ x: xOf(p3), y: yOfHz(6000) }, { x: xOf(p3 + 0.015 * sr), y: yOfHz(1000) });
    await page.keyboard.press('3');
    await expect.poll(async () => (await labels()).length).toBe(2);
    const banded = (await labels()).find((l) => l.label === 'echo')!;
    const hzPerPx = sr / 2 / specPx;
    expect(Math.abs(banded.lowHz! - 1000)).toBeLessThanOrEqual(hzPerPx);
    expect(Math.abs(banded.highHz! - 6000)).toBeLessThanOrEqual(hzPerPx);

    // Move the first label 80 px later by its body; then pull its end 30 px later by the grip.
    const box = page.locator(`[data-testid=label-box][data-label-id="${first!.id}"]`);
    const b = (await box.boundingBox())!;
    await drag({ x: b.x + b.width / 2, y: waveY + 30 }, { x: b.x + b.width / 2 + 80, y: waveY + 30 });
    await expect.poll(async () => (await labels()).find((l) => l.id === first!.id)!.version).toBe(2);
    const moved = (await labels()).find((l) => l.id === first!.id)!;
    expect(moved.endSample - moved.startSample).toBe(first!.endSample - first!.startSample);
    expect(Math.abs(moved.startSample - first!.startSample - 80 * samplesPerPx)).toBeLessThanOrEqual(2 * samplesPerPx);
    const grip = page.locator('.label-grip-end');
    await expect(grip).toBeVisible();
    const g = (await grip.boundingBox())!;
    await drag({ x: g.x + g.width / 2, y: g.y + g.height / 2 }, { x: g.x + g.width / 2 + 30, y: g.y + g.height / 2 });
    await expect.poll(async () => (await labels()).find((l) => l.id === first!.id)!.version).toBe(3);
    const resized = (await labels()).find((l) => l.id === first!.id)!;
    expect(resized.startSample).toBe(moved.startSample);
    expect(Math.abs(resized.endSample - moved.endSample - 30 * samplesPerPx)).toBeLessThanOrEqual(2 * samplesPerPx);

    // Relabel from the list and the panel: click its row, choose another class.
    await page.locator(`[data-testid=label-row][data-label-id="${banded.id}"]`).click();
    await page.getByTestId('sel-class').selectOption({ label: '2 · shockwave' });
    await expect.poll(async () => (await labels()).find((l) => l.id === banded.id)!.label).toBe('shockwave');

    // The classes: rename shockwave (its labels follow), give noise key 2 and shockwave none.
    await page.getByTestId('open-taxonomy').click();
    const dialog = page.getByTestId('taxonomy-dialog');
    await dialog.getByLabel('Name of class 2').fill('shock wave');
    await dialog.getByLabel('Key of shock wave').selectOption('');
    await dialog.getByLabel('Key of noise').selectOption('2');
    await dialog.getByTestId('taxonomy-save').click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('taxonomy-bar').getByRole('button', { name: /^2\s*noise$/ })).toBeVisible();
    await expect.poll(async () => (await labels()).find((l) => l.id === banded.id)!.label).toBe('shock wave');
    // Play the chosen label in a loop: the playhead stays inside it; L again stops.
    const looped = (await labels()).find((l) => l.id === first!.id)!;
    await page.keyboard.press('Escape');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await expect(page.locator('[data-testid=label-box].is-chosen')).toHaveAttribute('data-label-id', String(looped.id));
    await page.keyboard.press('l');
    await expect(page.getByRole('button', { name: /loop/ }).first()).toHaveAttribute('aria-pressed', 'true');
    const playhead = page.getByTestId('playhead');
    const positions: number[] = [];
    for (let i = 0; i < 6; i++) {
      await page.waitForTimeout(60);
      positions.push(Number(await playhead.getAttribute('data-position-s')));
    }
    for (const s of positions) {
      expect(s).toBeGreaterThanOrEqual(looped.startSample / sr - 1e-3);
      expect(s).toBeLessThanOrEqual(looped.endSample / sr + 0.02);
    }
    expect(new Set(positions).size, 'the playhead moves').toBeGreaterThan(1);
    await page.keyboard.press('l');
    await expect(page.getByRole('button', { name: /loop/ }).first()).toHaveAttribute('aria-pressed', 'false');
    // A key with no class says so rather than guessing.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.keyboard.press(']');
    await page.keyboard.press('s');
    await page.keyboard.press('2');
    await expect.poll(async () => (await labels()).length).toBe(3);
    expect((await labels()).filter((l) => l.label === 'noise')).toHaveLength(1);
  });

  it('alerts already in the store join a project as clips, each track with the pulses the network picked', async ({ page }) => {
    const { outcomes } = await (
      await adminClient(host)
    ).importFolders([writeSimpleBundle(join(data.dir, 'bundle'), { id: 'OAK-1', sensors: 3, sampleRate: 8000 }).dir]);
    const alertId = outcomes[0]!.alertId!;
    const alert = await tina.call('getAlert', { id: alertId });
    await tina.call('createProject', { name: 'From the queue' });
    await signInPage(page, host, 'tina');
    await page.getByTestId('project-item').click();
    await page.getByTestId('open-add-alerts').click();
    const dialog = page.getByTestId('add-alerts-dialog');
    await dialog.getByLabel('Add OAK-1').check();
    await dialog.getByTestId('add-alerts').click();
    await expect(dialog).toContainText('3 tracks added');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('clip-item')).toHaveCount(3);
    const header = page.locator('.clip-header');
    await expect(header).toContainText(`alert ${alertId} · sensor`);
    const sensor = /sensor (\S+)/.exec((await header.textContent())!)![1]!;
    const picks = alert.pulses.filter((q) => q.sensorId === sensor).map((q) => Math.round(q.offsetS * 8000));
    expect(picks.length).toBeGreaterThan(0);
    await expect(page.locator('[data-testid=label-track][data-samples=loaded]')).toBeVisible({ timeout: 15_000 });
    // ] lands on the pulse: the one found in the samples, within a millisecond of the network's pick.
    await page.keyboard.press(']');
    await expect.poll(async () => Math.abs((await cursorAt(page)) - picks[0]!)).toBeLessThanOrEqual(8);
  });

  it('an Audacity label track is read onto the open clip; a file with one bad row adds nothing and says which row', async ({ page }) => {
    const [file] = writePulseFolder(join(data.dir, 'one'), { files: 1, perFile: 10 });
    const project = await tina.call('createProject', { name: 'From Audacity' });
    await importFolder(project.id, join(data.dir, 'one'));
    await signInPage(page, host, 'tina');
    await page.getByTestId('project-item').click();
    const { clipId } = await clipReady(page, file!.path);
    const sr = file!.sampleRate;
    const row = (p: number, label: string) => `${(p / sr).toFixed(9)}\t${((p + 0.02 * sr) / sr).toFixed(9)}\t${label}`;

    const bad = join(data.dir, 'bad.txt');
    writeFileSync(bad, [row(file!.pulses[0]!, 'muzzle_blast'), row(file!.pulses[1]!, 'a class nobody made')].join('\n') + '\n');
    const importer = page.getByTestId('import-labels');
    await importer.getByTestId('import-labels-open').click();
    // The file is chosen in the browser and uploaded; the core never reads a path the page names.
    await importer.getByTestId('import-labels-file').setInputFiles(bad);
    await importer.getByTestId('import-labels-start').click();
    await expect(importer.getByRole('alert')).toContainText('not in this project');
    await expect(importer.getByRole('alert')).toContainText('2');
    expect((await tina.call('listLabels', { projectId: project.id })).labels).toEqual([]);

    const good = join(data.dir, 'good.txt');
    writeFileSync(good, [row(file!.pulses[0]!, 'muzzle_blast'), row(file!.pulses[1]!, 'echo'), row(file!.pulses[2]!, 'muzzle_blast')].join('\n') + '\n');
    await importer.getByTestId('import-labels-format').selectOption('audacity');
    await importer.getByTestId('import-labels-file').setInputFiles(good);
    await importer.getByTestId('import-labels-start').click();
    await expect(importer.getByTestId('import-labels-result')).toContainText('3 labels added from the Audacity label track');
    await labelCount(page, 3);
    await expect(page.getByTestId('label-row')).toHaveCount(3);
    const labels = (await tina.call('listLabels', { projectId: project.id })).labels;
    expect(labels.map((l) => [l.clipId, l.startSample]).sort((a, b) => a[1]! - b[1]!)).toEqual(file!.pulses.slice(0, 3).map((p) => [clipId, p]));
    // The same file again changes nothing.
    await importer.getByTestId('import-labels-file').setInputFiles(good);
    await importer.getByTestId('import-labels-start').click();
    await expect(importer.getByTestId('import-labels-result')).toContainText('0 labels added from the Audacity label track, 3 already there');
    await labelCount(page, 3);

    // A BirdNET table (as BirdNET-Analyzer writes it) of a custom classifier: its Common Name is not a
    // class here, its Species Code is; the trainer names that column.
    const birdnet = join(data.dir, 'one.BirdNET.selection.table.txt');
    const at = (p: number) => `${(p / sr).toFixed(6)}\t${((p + 0.02 * sr) / sr).toFixed(6)}`;
    writeFileSync(
      birdnet,
      'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tCommon Name\tSpecies Code\tConfidence\tBegin Path\tFile Offset (s)\n' +
        `1\tSpectrogram 1\t1\t${at(file!.pulses[3]!)}\t0\t${sr / 2}.0\tEcho of a shot\techo\t0.8811\t/field/one.wav\t0.0\n`,
    );
    await importer.getByTestId('import-labels-format').selectOption('raven');
    await importer.getByTestId('import-labels-file').setInputFiles(birdnet);
    await importer.getByTestId('import-labels-start').click();
    await expect(importer.getByRole('alert')).toContainText('"Echo of a shot" is not in this project');
    await importer.getByTestId('import-labels-column').fill('Species Code');
    await importer.getByTestId('import-labels-file').setInputFiles(birdnet);
    await importer.getByTestId('import-labels-start').click();
    await expect(importer.getByTestId('import-labels-result')).toContainText(
      '1 label added from the Raven selection table, labels from its "Species Code" column',
    );
    await labelCount(page, 4);
  });

  it('a long import shows its progress and, cancelled, leaves no clip behind', async ({ page }) => {
    it.setTimeout(180_000);
    const project = await tina.call('createProject', { name: 'Big import' });
    const root = join(data.dir, 'many');
    writeManyWavs(root, 2500);
    await signInPage(page, host, 'tina');
    await page.getByTestId('project-item').click();
    await page.getByTestId('import-audio-folder').setInputFiles(root);
    const progress = page.getByTestId('job-progress');
    // 2500 files are sent first (two at a time), then the job starts.
    await expect(progress).toBeVisible({ timeout: 90_000 });
    await page.getByTestId('job-cancel').click();
    await expect(progress).toHaveAttribute('data-state', 'cancelled', { timeout: 30_000 });
    await expect(progress).toContainText('nothing was kept');
    expect((await tina.call('listProjectClips', { projectId: project.id })).total).toBe(0);
    await expect(page.getByTestId('clips-panel')).toContainText('No clips yet');
  });
});

/** Many small distinct WAVs, written fast (one encoded buffer, a sample changed per file). */
function writeManyWavs(root: string, n: number): void {
  mkdirSync(root, { recursive: true });
  const base = encodeWav([new Float32Array(8000).map((_, i) => 0.1 * Math.sin(i / 3))], { format: 'pcm16', sampleRate: 8000 });
  const at = base.indexOf('data') + 8;
  for (let i = 0; i < n; i++) {
    base.writeInt16LE(i, at);
    writeFileSync(join(root, `f${String(i).padStart(5, '0')}.wav`), base);
  }
}
