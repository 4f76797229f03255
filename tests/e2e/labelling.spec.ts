import { expect, test, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Label } from '../../src/contract/index.ts';
import { parseCsv } from '../support/dataset.ts';
import { personClient, startHostProcess, type ApiClient, type RunningHost } from '../support/host.ts';
import { countPointerEvents, pointerEvents } from '../support/keyboard-only.ts';
import { writePulseFolder, type PulseFile } from '../support/labelling.ts';
import { signInPage } from '../support/seat-page.ts';
import { tempDir } from '../support/temp.ts';

const it = test.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await use(errors);
      expect(errors, 'errors thrown in the page').toEqual([]);
    },
    { auto: true },
  ],
});

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
function readRaven(text: string): { selection: number; view: string; channel: number; begin: number; end: number; low: number; high: number; annotation: string }[] {
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
      selection: Number(c[at('Selection')]), view: c[at('View')]!, channel: Number(c[at('Channel')]),
      begin: Number(c[at('Begin Time (s)')]), end: Number(c[at('End Time (s)')]),
      low: Number(c[at('Low Freq (Hz)')]), high: Number(c[at('High Freq (Hz)')]), annotation: c[at('Annotation')]!,
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
    await expect(page.getByTestId('mode-labelling')).toHaveAttribute('aria-pressed', 'true');

    // A project, then the folder, typed: on the loopback host it is a path on the core's machine.
    await page.getByTestId('project-name').focus();
    await page.keyboard.type('Field day');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('project-title')).toHaveText('Field day');
    await page.getByTestId('import-path').focus();
    await page.keyboard.type(root);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('import-result')).toContainText('3 imported');
    await expect(page.getByTestId('clip-item')).toHaveCount(3);
    await page.keyboard.press('Escape'); // out of the path field, back to the clip

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

    // Export three ways from the keyboard: E opens the dialog, the format is chosen, the folder typed, Enter starts.
    const exportTo = async (format: string, dir: string) => {
      await page.keyboard.press('e');
      const dialog = page.getByTestId('export-dialog');
      await expect(dialog).toBeVisible();
      await dialog.getByTestId('export-format').selectOption(format);
      await dialog.getByTestId('export-path').focus();
      await page.keyboard.press('Control+a');
      await page.keyboard.type(dir);
      await page.keyboard.press('Enter');
      await expect(dialog.getByTestId('export-result')).toContainText('30 labels', { timeout: 30_000 });
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

    const lines = readFileSync(join(out('jsonl'), 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Label & { clipId: number });
    expect(exact(lines)).toEqual(truth);

    const clipOfTable = new Map<string, number>();
    for (const f of readdirSync(out('raven')).filter((f) => f.endsWith('.selections.txt'))) clipOfTable.set(f, Number(/^c(\d+)_/.exec(f)![1]));
    expect(clipOfTable.size).toBe(3);
    const fromRaven = [...clipOfTable].flatMap(([f, clipId]) => {
      const rows = readRaven(readFileSync(join(out('raven'), f), 'utf8'));
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
