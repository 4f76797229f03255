import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportRequest, MethodOutput, Project, ProjectClip } from '../../../src/contract/index.ts';
import { exportDataset, MANIFEST } from '../../../src/dataset/export.ts';
import { addAlertsToProject } from '../../../src/dataset/import-alerts.ts';
import { importAudio } from '../../../src/dataset/import-audio.ts';
import { jobsOf } from '../../../src/dataset/jobs.ts';
import { createLabel } from '../../../src/dataset/labels.ts';
import { createProject } from '../../../src/dataset/projects.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { csvObjects, ctl, writeWav } from '../../support/dataset.ts';
import { personClient, type ApiClient } from '../../support/host.ts';
import { inProcessHost } from '../../support/inproc-host.ts';
import { missing } from '../../support/skip.ts';
import { readZip } from '../../support/zip.ts';

const READER = fileURLToPath(new URL('../../support/read_export.py', import.meta.url));
const python = spawnSync('python3', ['--version']).status === 0;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Manifest {
  files: { file: string; clipId: number | null; kind: 'audio' | 'labels' }[];
  clips: { clipId: number; sha256: string }[];
}

/** The Python standard library's reading of an export (tests/support/read_export.py): csv, wave, the files beside. */
function readWithPython<T>(format: string, dir: string): T {
  const r = spawnSync('python3', [READER, format, dir], { encoding: 'utf8' });
  expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as T;
}

/** A Raven table read by its header, as Raven and Rraven do: each row a record of named cells. */
function ravenRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = text.split('\n').filter((l) => l !== '');
  const names = header!.split('\t');
  return rows.map((r) => {
    const cells = r.split('\t');
    expect(cells).toHaveLength(names.length);
    return Object.fromEntries(names.map((n, i) => [n, cells[i]!]));
  });
}

describe('Raven and Audacity exports carry their audio, under names no two clips share, and open as they are', () => {
  let h: Awaited<ReturnType<typeof inProcessHost>>;
  let tina: ApiClient;
  let project: Project;
  let clips: ProjectClip[];
  let n = 0;

  beforeAll(async () => {
    h = await inProcessHost();
    const core = h.core;
    tina = await personClient(h, 'tina', ['trainer']);
    project = await createProject(core, 'tina', { name: 'Stand alone', description: '', taxonomy: 'default' });
    // Two alerts whose sensors have the same ids: both used to write S-001.wav.
    const ids: number[] = [];
    for (const [id, x] of [
      ['KH-1', 20],
      ['KH-2', -40],
    ] as const) {
      const r = await importFolder(core, writeSimpleBundle(join(h.tmp, 'bundles', id), { id, sensors: 3, sourceAt: { x, y: 5 } }).dir, 'ingest');
      ids.push(r.alertId!);
    }
    await addAlertsToProject(core, 'tina', project.id, ids);
    // Plain files of one name in three folders, one in capitals: a case-blind disk holds one of them.
    for (const [i, f] of ['a/one.wav', 'b/one.wav', 'c/ONE.wav'].entries()) writeWav(join(h.tmp, 'field', f), { seed: 40 + i, channels: 1 + (i % 2) });
    expect((await importAudio(core, 'tina', { projectId: project.id, paths: [join(h.tmp, 'field')], onBadFile: 'abort' }, ctl())).imported).toBe(3);
    clips = await core.storePort.read((tx) => tx.datasetProjects.clips(project.id, 100, 0));
    const blast = project.classes.find((c) => c.name === 'muzzle_blast')!;
    const echo = project.classes.find((c) => c.name === 'echo')!;
    for (const c of clips) {
      await createLabel(core, 'tina', { clipId: c.id, classId: blast.id, startSample: 1000, endSample: 1800, lowHz: 200, highHz: 3000 });
      await createLabel(core, 'tina', {
        clipId: c.id,
        classId: echo.id,
        channel: c.clip.channels - 1,
        startSample: 2400,
        endSample: 3100,
        lowHz: null,
        highHz: null,
      });
    }
  });
  afterAll(() => h.close());

  const exportTo = async (format: ExportRequest['format']) => {
    const outDir = join(h.tmp, `export-${++n}-${format}`);
    await exportDataset(
      h.core,
      'tina',
      {
        projectId: project.id,
        format,
        outDir,
        filter: {},
        audiofolder: { unit: 'label', splitBy: 'alert', splits: { train: 0.6, validation: 0.2, test: 0.2 }, seed: 'x', allowLeaks: false },
      },
      ctl(),
    );
    return { outDir, manifest: JSON.parse(readFileSync(join(outDir, MANIFEST), 'utf8')) as Manifest };
  };

  /** Every sound file named unique (whatever the case), the stored audio byte for byte. */
  function checkSounds(outDir: string, manifest: Manifest) {
    const sounds = manifest.files.filter((f) => f.kind === 'audio');
    expect(sounds).toHaveLength(clips.length);
    expect(new Set(sounds.map((s) => s.file.toLowerCase())).size).toBe(clips.length);
    for (const s of sounds) expect(sha(readFileSync(join(outDir, s.file)))).toBe(manifest.clips.find((c) => c.clipId === s.clipId)!.sha256);
    return sounds;
  }

  it('Raven: each table beside the WAV its Begin File column names, <source>-<alert>-<sensor>.wav for alert tracks', async () => {
    const { outDir, manifest } = await exportTo('raven');
    const sounds = checkSounds(outDir, manifest);
    expect(
      sounds
        .map((s) => s.file)
        .filter((f) => f.startsWith('test-network'))
        .sort(),
    ).toEqual(['KH-1', 'KH-2'].flatMap((a) => ['S-001', 'S-002', 'S-003'].map((s) => `test-network-${a}-${s}.wav`)));
    expect(
      sounds
        .map((s) => s.file)
        .filter((f) => /^one/i.test(f))
        .sort(),
    ).toEqual(
      [
        'ONE-c' + clips.find((c) => c.name.endsWith('ONE.wav'))!.id + '.wav',
        'one-c' + clips.find((c) => c.name.endsWith('b/one.wav'))!.id + '.wav',
        'one.wav',
      ].sort(),
    );
    const tables = readdirSync(outDir).filter((f) => f.endsWith('.Table.1.selections.txt'));
    expect(tables).toHaveLength(clips.length);
    for (const t of tables) {
      const records = ravenRecords(readFileSync(join(outDir, t), 'utf8'));
      const files = new Set(records.map((r) => r['Begin File']));
      expect(files.size).toBe(1);
      const sound = [...files][0]!;
      expect(t).toBe(sound.replace(/\.wav$/, '.Table.1.selections.txt'));
      expect(existsSync(join(outDir, sound))).toBe(true);
    }
    expect(readFileSync(join(outDir, 'README.md'), 'utf8')).toMatch(/File > Open Selection Table/);
  });

  it.skipIf(missing(python, "Raven, Audacity and audiofolder exports read by Python's csv and wave", 'python3 is not on PATH'))(
    "Python's csv and wave read every export as the tools would: tables, tracks and metadata.csv, each naming a sound that opens",
    async () => {
      const raven = readWithPython<{ table: string; sound: string; rows: number; channels: number; frames: number }[]>(
        'raven',
        (await exportTo('raven')).outDir,
      );
      expect(raven).toHaveLength(clips.length);
      expect(raven.every((t) => t.rows === 4)).toBe(true); // two selections, each in the waveform and the spectrogram view
      const audacity = readWithPython<{ track: string; sound: string; labels: number }[]>('audacity', (await exportTo('audacity')).outDir);
      expect(audacity.reduce((a, t) => a + t.labels, 0)).toBe(2 * clips.length);
      const rows = readWithPython<{ split: string; file_name: string; label: string; alert_id: string }[]>(
        'audiofolder',
        (await exportTo('audiofolder')).outDir,
      );
      expect(rows).toHaveLength(2 * clips.length);
    },
  );

  it('Audacity: each label track beside the WAV of its stem', async () => {
    const { outDir, manifest } = await exportTo('audacity');
    checkSounds(outDir, manifest);
    const tracks = readdirSync(outDir).filter((f) => f.endsWith('.txt'));
    expect(tracks.length).toBeGreaterThan(clips.length); // the two-channel clips have a second track
    for (const t of tracks) expect(existsSync(join(outDir, `${t.replace(/(\.ch\d+)?\.txt$/, '')}.wav`)), t).toBe(true);
  });

  it('audiofolder: metadata.csv read by a CSV reader names files that exist beside it', async () => {
    const { outDir } = await exportTo('audiofolder');
    for (const split of readdirSync(outDir).filter((d) => ['train', 'validation', 'test'].includes(d))) {
      for (const row of csvObjects(readFileSync(join(outDir, split, 'metadata.csv'), 'utf8')))
        expect(existsSync(join(outDir, split, row.file_name!))).toBe(true);
    }
  });

  it("a seat's zip holds the same: unpacked, the tables name sounds that sit beside them", async () => {
    const { jobId } = await tina.call('startExportArchive', { projectId: project.id, format: 'raven', to: { kind: 'download' } });
    const job = await jobsOf(h.core).settle(jobId);
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    const archive = (job.result as Extract<MethodOutput<'getDatasetJob'>['result'], { kind: 'export' }>).archive!;
    if (archive.kind !== 'download') throw new Error('expected a download');
    const entries = await readZip((await tina.download(archive.downloadId)).bytes);
    const unpacked = join(h.tmp, 'unzipped');
    for (const [name, bytes] of entries) {
      mkdirSync(dirname(join(unpacked, name)), { recursive: true });
      writeFileSync(join(unpacked, name), bytes);
    }
    const top = join(unpacked, archive.fileName.replace(/\.zip$/, ''));
    const tables = readdirSync(top).filter((f) => f.endsWith('.selections.txt'));
    expect(tables).toHaveLength(clips.length);
    for (const t of tables) {
      const sound = ravenRecords(readFileSync(join(top, t), 'utf8'))[0]!['Begin File']!;
      expect(readFileSync(join(top, sound)).subarray(0, 4).toString('latin1')).toBe('RIFF');
    }
    if (python) expect(readWithPython<unknown[]>('raven', top)).toHaveLength(clips.length);
  });
});
