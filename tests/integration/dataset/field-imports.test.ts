import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import type { Project, ProjectClip } from '../../../src/contract/index.ts';
import { importLabelFile } from '../../../src/dataset/import-labels.ts';
import { updateTaxonomy } from '../../../src/dataset/projects.ts';
import { REPO } from '../../support/host.ts';
import { projectWithClips } from '../../support/dataset.ts';
import { openBackendCore, portTableCounts, type BackendCore } from '../../support/backend-core.ts';
import { backendUnavailable, testBackend } from '../../support/database.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * Files as the field's tools write them, kept in tests/fixtures/labels:
 * - `*.BirdNET.selection.table.txt`, `BirdNET_SelectionTable.txt`: BirdNET-Analyzer's Raven tables
 *   (kahst/BirdNET-Analyzer, generate_raven_table and combine_raven_tables: Spectrogram rows only,
 *   Common Name, Species Code, Confidence to four places, Begin Path, File Offset; a `nocall` row when
 *   nothing was detected; the combined table spans every analysed file).
 * - `range-day.txt`: an Audacity label track (Audacity's LabelStruct::Export: six decimals, a
 *   point label with start = end, a `\` line with the band, -1 for an unknown bound);
 *   `range-day-windows.txt` the same as Audacity on Windows writes it (CRLF), with a continuation
 *   line of a future format, which Audacity's reader skips.
 */
const FIXTURES = join(REPO, 'tests', 'fixtures', 'labels');
const fixture = (name: string) => join(FIXTURES, name);

describe.skipIf(backendUnavailable('field imports'))(`imports of what the field makes (${testBackend()})`, () => {
  let tmp: ReturnType<typeof tempDir>;
  let backend: BackendCore;
  let core: Core;
  let project: Project;
  let soundscape: ProjectClip;
  let rangeDay: ProjectClip;
  const labelsOf = async (clip: ProjectClip) =>
    (await core.storePort.read((tx) => tx.datasetLabels.list(project.id, clip.id, {}, 1000, 0))).map((l) => [
      l.label,
      l.startSample,
      l.endSample,
      l.lowHz,
      l.highHz,
    ]);

  beforeAll(async () => {
    tmp = tempDir();
    backend = await openBackendCore(join(tmp.dir, 'data'));
    core = backend.core;
    // A 10 s soundscape at 12 kHz (BirdNET's last 3 s window runs 2 s past it), and a 6 s range day at 16 kHz.
    ({ project } = await projectWithClips(core, join(tmp.dir, 'field'), {
      clips: 2,
      perFolder: 1,
      wav: (i) => (i === 0 ? { sampleRate: 12000, frames: 120_000 } : { sampleRate: 16000, frames: 96_000 }),
    }));
    const clips = await core.storePort.read((tx) => tx.datasetProjects.clips(project.id, 10, 0));
    [soundscape, rangeDay] = [clips[0]!, clips[1]!];
    project = await updateTaxonomy(core, 'trainer', project.id, [
      ...project.classes,
      ...['Gun', 'Engine'].map((name) => ({ name, colour: '#336699', hotkey: null })),
    ]);
  });
  afterAll(async () => {
    await backend.close();
    tmp.cleanup();
  });

  it("imports BirdNET's table by its Common Name, the last window ending with the clip, and says so", async () => {
    const r = await importLabelFile(core, 'tina', { clipId: soundscape.id, path: fixture('soundscape.BirdNET.selection.table.txt'), format: 'auto' });
    expect(r).toMatchObject({ format: 'raven', labelColumn: 'Common Name', added: 4, unchanged: 0 });
    expect(r.notes.join(' ')).toMatch(/1 selection ran past the clip's end/);
    // Fireworks matches the default taxonomy's fireworks (names compare without case); 6000 Hz is Nyquist: no band.
    expect(await labelsOf(soundscape)).toEqual([
      ['Gun', 0, 36000, null, null],
      ['fireworks', 36000, 72000, null, null],
      ['Gun', 36000, 72000, null, null],
      ['Engine', 108000, 120000, null, null],
    ]);
    // Importing the same table again changes nothing.
    expect(
      await importLabelFile(core, 'tina', { clipId: soundscape.id, path: fixture('soundscape.BirdNET.selection.table.txt'), format: 'raven' }),
    ).toMatchObject({
      added: 0,
      unchanged: 4,
    });
  });

  it('reads the label column the trainer chooses, refusing names not in the taxonomy row by row', async () => {
    const before = await portTableCounts(backend.probe);
    let message = '';
    try {
      await importLabelFile(core, 'tina', {
        clipId: soundscape.id,
        path: fixture('soundscape.BirdNET.selection.table.txt'),
        format: 'auto',
        labelColumn: 'Species Code',
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/line 2: label "Gun_Gun" is not in this project's taxonomy/);
    expect(message).toMatch(/line 5: label "Engine_Engine"/);
    await expect(
      importLabelFile(core, 'tina', {
        clipId: soundscape.id,
        path: fixture('soundscape.BirdNET.selection.table.txt'),
        format: 'auto',
        labelColumn: 'Scientific Name',
      }),
    ).rejects.toThrow(/no column "Scientific Name" .*"Common Name", "Species Code", "Confidence", "Begin Path", "File Offset \(s\)"/);
    await expect(
      importLabelFile(core, 'tina', { clipId: rangeDay.id, path: fixture('range-day.txt'), format: 'auto', labelColumn: 'Common Name' }),
    ).rejects.toThrow(/chosen in a Raven selection table/);
    expect(await portTableCounts(backend.probe)).toEqual(before);
  });

  it("adds nothing from BirdNET's nocall table, and refuses its combined table of several files, naming the row", async () => {
    const before = await portTableCounts(backend.probe);
    expect(await importLabelFile(core, 'tina', { clipId: soundscape.id, path: fixture('quiet.BirdNET.selection.table.txt'), format: 'auto' })).toMatchObject({
      added: 0,
      notes: [expect.stringMatching(/1 BirdNET placeholder row \(nocall/) as unknown],
    });
    await expect(importLabelFile(core, 'tina', { clipId: soundscape.id, path: fixture('BirdNET_SelectionTable.txt'), format: 'auto' })).rejects.toThrow(
      /line 4: a second sound file, "\/data\/field\/2024-06-01\/dusk.wav"/,
    );
    expect(await portTableCounts(backend.probe)).toEqual(before);
  });

  it('imports an Audacity track with point labels and bands as Audacity reads it, LF or CRLF', async () => {
    const r = await importLabelFile(core, 'tina', { clipId: rangeDay.id, path: fixture('range-day.txt'), format: 'auto' });
    expect(r).toMatchObject({ format: 'audacity', labelColumn: null, added: 4 });
    expect(r.notes.join(' ')).toMatch(/2 point labels \(start = end\)/);
    expect(await labelsOf(rangeDay)).toEqual([
      ['muzzle_blast', 8192, 8480, 300, 4000],
      ['shockwave', 20000, 20001, null, null],
      ['echo', 32000, 34880, 0, 3500], // -1 below: Audacity's unknown bound, 0 Hz
      ['noise', 76000, 76001, 100, 900],
    ]);
    // The Windows file holds the first two of the same labels: nothing new, one future line skipped.
    const w = await importLabelFile(core, 'tina', { clipId: rangeDay.id, path: fixture('range-day-windows.txt'), format: 'audacity' });
    expect(w).toMatchObject({ added: 0, unchanged: 2 });
    expect(w.notes.join(' ')).toMatch(/1 further \\ line .*ignored as Audacity ignores them/);
  });
});
