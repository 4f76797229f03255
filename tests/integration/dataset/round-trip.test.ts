import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, ftruncateSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeChannel, parseWav } from '../../../src/audio/wav.ts';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore } from '../../support/test-core.ts';
import { newSession } from '../../../src/kernel/session.ts';
import type { ExportRequest, Label, Project, ProjectClip } from '../../../src/contract/index.ts';
import { exportDataset, MANIFEST } from '../../../src/dataset/export.ts';
import { addAlertsToProject } from '../../../src/dataset/import-alerts.ts';
import { importLabelFile } from '../../../src/dataset/import-labels.ts';
import { deleteLabel } from '../../../src/dataset/labels.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { tempDir } from '../../support/temp.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { csvObjects, ctl, labelRandomly, projectWithClips, shape, sortShapes } from '../../support/dataset.ts';
import { tableCounts } from '../../support/store-snapshot.ts';

/** The five plain recordings: rates from 8 to 192 kHz, 1-3 channels, integer and float samples, hostile names. */
const PLAIN = [
  { file: 'north/s1/=cmd.wav', wav: { sampleRate: 16000, frames: 32000 } },
  { file: 'north/s2/..evil.wav', wav: { sampleRate: 44100, frames: 66150, channels: 2, format: 'pcm24' as const } },
  { file: 'south/s3/-rm -rf.wav', wav: { sampleRate: 48000, frames: 48000, channels: 3, format: 'float32' as const } },
  { file: 'south/s4/low.wav', wav: { sampleRate: 8000, frames: 24001, format: 'pcm8' as const } },
  { file: 'west/s5/high.wav', wav: { sampleRate: 192000, frames: 96000 } },
];

interface Manifest {
  files: { file: string; clipId: number | null; channel: number | null; labels: number }[];
}

describe('round trips through every format', async () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let project: Project;
  let clips: ProjectClip[];
  let original: ReturnType<typeof shape>[];
  let originalLabels: Label[];
  let outN = 0;
  const out = () => join(tmp.dir, `export-${++outN}`);
  const currentShapes = async () => sortShapes((await core.storePort.read((tx) => tx.datasetLabels.list(project.id, null, {}, 1e6, 0))).map(shape));
  const exportAs = async (format: ExportRequest['format'], o: Partial<ExportRequest> = {}) => {
    const dir = out();
    const req: ExportRequest = {
      projectId: project.id,
      format,
      outDir: dir,
      filter: {},
      audiofolder: { unit: 'label', splitBy: 'alert', splits: { train: 0.6, validation: 0.2, test: 0.2 }, seed: 's', allowLeaks: false },
      ...o,
    };
    const result = await exportDataset(core, 'tina', req, ctl());
    return { dir, result, manifest: JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest };
  };
  const deleteAll = async () => {
    for (const l of await core.storePort.read((tx) => tx.datasetLabels.list(project.id, null, {}, 1e6, 0))) await deleteLabel(core, 'tina', l.id, undefined);
    expect(await currentShapes()).toEqual([]);
  };

  beforeAll(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    // Plain audio, one file per sensor folder.
    const root = join(tmp.dir, 'field');
    const { writeWav } = await import('../../support/dataset.ts');
    PLAIN.forEach((p, i) => writeWav(join(root, p.file), { seed: i + 1, ...p.wav }));
    ({ project } = await projectWithClips(core, join(tmp.dir, 'empty'), { clips: 0 }));
    const { importAudio } = await import('../../../src/dataset/import-audio.ts');
    expect((await importAudio(core, 'tina', { projectId: project.id, paths: [root], onBadFile: 'abort' }, ctl())).imported).toBe(5);
    // Two alerts from a network whose names are spreadsheet formulas, one decided by a reviewer.
    const a1 = await importFolder(
      core,
      writeSimpleBundle(join(tmp.dir, 'b1'), {
        source: '=HYPERLINK("http://evil")',
        id: '@ALERT-1',
        mutate: (a) => ((a.sensors as { id: string }[])[0]!.id = '+SUM(1)'),
      }).dir,
      'ingest',
    );
    const a2 = await importFolder(core, writeSimpleBundle(join(tmp.dir, 'b2'), { id: 'ALERT-2', sensors: 3 }).dir, 'ingest');
    expect([a1.status, a2.status]).toEqual(['imported', 'imported']);
    await core.call(newSession('loopback', { name: 'rita', roles: ['reviewer'] }), 'decide', {
      alertId: a1.alertId,
      class: 'gunfire_multiple',
      rounds: 3,
      reviewMs: 4000,
    });
    await addAlertsToProject(core, 'tina', project.id, [a1.alertId!, a2.alertId!]);
    clips = await core.storePort.read((tx) => tx.datasetProjects.clips(project.id, 100, 0));
    expect(clips).toHaveLength(12);
    originalLabels = await labelRandomly(core, project, clips, 7);
    original = sortShapes(originalLabels.map(shape));
    expect(original).toHaveLength(84);
  });
  afterAll(async () => {
    await core.close();
    tmp.cleanup();
  });

  it('JSON Lines: every label comes back identical, to the sample, with its annotator', async () => {
    const { dir } = await exportAs('jsonl');
    const lines = readFileSync(join(dir, 'labels.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(84);
    await deleteAll();
    const r = await importLabelFile(core, 'tina', { projectId: project.id, path: join(dir, 'labels.jsonl'), format: 'auto' });
    expect(r).toMatchObject({ format: 'jsonl', added: 84, unchanged: 0 });
    expect(await currentShapes()).toEqual(original);
    expect(new Set((await core.storePort.read((tx) => tx.datasetLabels.list(project.id, null, {}, 1e6, 0))).map((l) => l.annotator))).toEqual(
      new Set(['annotator-a']),
    );
    // The same file again changes nothing.
    const before = await tableCounts(core);
    expect(await importLabelFile(core, 'tina', { projectId: project.id, path: join(dir, 'labels.jsonl'), format: 'jsonl' })).toMatchObject({
      added: 0,
      unchanged: 84,
    });
    expect(await tableCounts(core)).toEqual(before);
  });

  it('Raven: one table per clip that an independent reader of the published layout understands, and that imports back identical', async () => {
    const { dir, manifest } = await exportAs('raven');
    const tables = manifest.files.filter((f) => f.file.endsWith('.Table.1.selections.txt'));
    expect(tables).toHaveLength(new Set(originalLabels.map((l) => l.clipId)).size);
    for (const t of tables) {
      const clip = clips.find((c) => c.id === t.clipId)!;
      const mine = sortShapes(originalLabels.filter((l) => l.clipId === clip.id).map(shape));
      expect(sortShapes(independentRavenReader(readFileSync(join(dir, t.file), 'utf8'), clip))).toEqual(mine);
    }
    await deleteAll();
    for (const t of tables) await importLabelFile(core, 'tina', { clipId: t.clipId!, path: join(dir, t.file), format: 'auto' });
    expect(await currentShapes()).toEqual(original);
    expect(new Set((await core.storePort.read((tx) => tx.datasetLabels.list(project.id, null, {}, 1e6, 0))).map((l) => l.annotator))).toEqual(
      new Set(['annotator-a']),
    );
  });

  it('Audacity: one track per clip and channel, imported back identical', async () => {
    const { manifest, dir } = await exportAs('audacity');
    await deleteAll();
    for (const t of manifest.files.filter((f) => f.file.endsWith('.txt'))) {
      expect(t.channel).not.toBeNull();
      await importLabelFile(core, 'tina', { clipId: t.clipId!, path: join(dir, t.file), format: 'audacity', channel: t.channel! });
    }
    expect(await currentShapes()).toEqual(original);
  });

  it('audiofolder: labels come back identical from metadata.csv, cuts hold exactly the labelled samples, no clip in two splits', async () => {
    const { dir, result } = await exportAs('audiofolder');
    const splits = readdirSync(dir).filter((d) => ['train', 'validation', 'test'].includes(d));
    expect(splits.length).toBeGreaterThanOrEqual(2);
    const rows: Record<string, string>[] = splits.flatMap((split) =>
      csvObjects(readFileSync(join(dir, split, 'metadata.csv'), 'utf8')).map((r) => ({ ...r, split })),
    );
    expect(rows).toHaveLength(84);
    expect(result.splits!.train.labels + result.splits!.validation.labels + result.splits!.test.labels).toBe(84);
    // The header starts with file_name, and every file it names sits beside it.
    expect(
      readFileSync(join(dir, splits[0]!, 'metadata.csv'), 'utf8')
        .split('\r\n')[0]!
        .startsWith('file_name,label,'),
    ).toBe(true);
    for (const split of splits) {
      const wavs = readdirSync(join(dir, split)).filter((f) => f.endsWith('.wav'));
      expect(new Set(wavs)).toEqual(new Set(rows.filter((r) => r.split === split).map((r) => r.file_name)));
    }
    // No recording in two splits: by clip, by audio, by group.
    const splitsOf = (key: (r: Record<string, string>) => string) => {
      const m = new Map<string, Set<string>>();
      for (const r of rows) m.set(key(r), (m.get(key(r)) ?? new Set()).add(r.split!));
      return [...m.values()].filter((s) => s.size > 1);
    };
    expect(splitsOf((r) => r.clip_id!)).toEqual([]);
    expect(splitsOf((r) => r.source_sha256!)).toEqual([]);
    expect(splitsOf((r) => r.split_group!)).toEqual([]);
    // A sensor is the network's sensor for alert tracks, the recorder's folder for plain audio.
    expect(splitsOf((r) => (r.alert_id ? `${r.site}/${r.sensor}` : r.clip_name!.split('/').slice(0, -1).join('/')))).toEqual([]);
    // Labels back from the CSV, identical to the sample.
    const back = rows.map((r) => ({
      clipId: Number(r.clip_id),
      channel: Number(r.channel),
      startSample: Number(r.start_sample),
      endSample: Number(r.end_sample),
      lowHz: r.low_hz === '' ? null : Number(r.low_hz),
      highHz: r.high_hz === '' ? null : Number(r.high_hz),
      label: r.label!,
    }));
    expect(sortShapes(back)).toEqual(original);
    // Each cut holds exactly the samples of its label's channel.
    for (const r of rows) {
      const clip = clips.find((c) => c.id === Number(r.clip_id))!;
      const src = core.clips.read(clip.clip.sha256);
      const cut = readFileSync(join(dir, r.split!, r.file_name!));
      const cutInfo = parseWav(cut);
      expect(cutInfo).toMatchObject({ channels: 1, sampleRate: clip.clip.sampleRate, frames: Number(r.end_sample) - Number(r.start_sample) });
      expect(decodeChannel(cut, cutInfo, 0)).toEqual(
        decodeChannel(src, parseWav(src), Number(r.channel)).subarray(Number(r.start_sample), Number(r.end_sample)),
      );
      expect(r.file_name).toMatch(/^l\d+_[A-Za-z0-9][A-Za-z0-9._-]*_c\d+\.wav$/);
    }
    // Alert columns: sensor, site, times, rounds, reviewer, decision; formulas neutralised.
    const decided = rows.filter((r) => r.decision === 'gunfire_multiple');
    expect(decided.length).toBeGreaterThan(0);
    for (const r of decided) {
      expect(r).toMatchObject({ reviewer: 'rita', rounds: '3', site: `'=HYPERLINK("http://evil")`, alert_external_id: "'@ALERT-1" });
      expect(r.time).toMatch(/^2025-11-20T\d\d:\d\d:\d\d\.\d{6}Z$/);
    }
    expect(rows.some((r) => r.sensor === "'+SUM(1)")).toBe(true);
    expect(rows.some((r) => r.clip_name === '\'=HYPERLINK("http://evil")/@ALERT-1/+SUM(1)')).toBe(true);
    expect(rows.some((r) => r.clip_name === 'field/north/s1/=cmd.wav')).toBe(true);
    for (const r of rows) for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+\-@\t\r]/);
    const undecided = rows.find((r) => r.alert_external_id === 'ALERT-2')!;
    expect(undecided).toMatchObject({ reviewer: '', decision: '' });
    const plain = rows.find((r) => r.alert_id === '')!;
    expect(plain).toMatchObject({ time: '', sensor: '', rounds: '' });
  });

  it('audiofolder per clip: whole recordings byte for byte, one row per clip, split by date without leaks', async () => {
    const { dir } = await exportAs('audiofolder', {
      audiofolder: { unit: 'clip', splitBy: 'date', splits: { train: 0.5, validation: 0.25, test: 0.25 }, seed: 'x', allowLeaks: false },
    });
    const splits = readdirSync(dir).filter((d) => ['train', 'validation', 'test'].includes(d));
    const rows: Record<string, string>[] = splits.flatMap((split) =>
      csvObjects(readFileSync(join(dir, split, 'metadata.csv'), 'utf8')).map((r) => ({ ...r, split })),
    );
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((r) => r.clip_id)).size).toBe(12);
    for (const r of rows) {
      const clip = clips.find((c) => c.id === Number(r.clip_id))!;
      expect(readFileSync(join(dir, r.split!, r.file_name!)).equals(core.clips.read(clip.clip.sha256))).toBe(true);
      expect(JSON.parse(r.selections!)).toHaveLength(Number(r.labels));
    }
    // Both alerts share a date: all seven of their tracks in one split.
    expect(new Set(rows.filter((r) => r.alert_id !== '').map((r) => r.split)).size).toBe(1);
  });

  it('a filtered export holds only the chosen labels of the chosen clips', async () => {
    const clip = clips[0]!;
    const { dir, result } = await exportAs('jsonl', { filter: { clipIds: [clip.id], labels: [originalLabels.find((l) => l.clipId === clip.id)!.label] } });
    const lines = readFileSync(join(dir, 'labels.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { clipId: number; label: string });
    expect(lines.length).toBe(result.labels);
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines.map((l) => l.clipId))).toEqual(new Set([clip.id]));
    expect(new Set(lines.map((l) => l.label)).size).toBe(1);
  });

  it('refuses a label file that does not fit its clip, writing nothing', async () => {
    const clip = clips.find((c) => c.clip.channels === 1 && c.origin === 'audio')!;
    const bad = join(tmp.dir, 'bad.Table.1.selections.txt');
    const head = 'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tAnnotation\n';
    // A selection that starts past the clip's end (one that only runs past it ends with the clip: BirdNET pads its last window).
    const [after, end] = [(clip.clip.frames + 1) / clip.clip.sampleRate, (clip.clip.frames + 2) / clip.clip.sampleRate];
    writeFileSync(
      bad,
      `${head}1\tSpectrogram 1\t1\t0.1\t0.2\t0\t100\techo\n2\tSpectrogram 1\t2\t0.1\t0.2\t0\t100\techo\n3\tSpectrogram 1\t1\t${after}\t${end}\t0\t100\techo\n4\tSpectrogram 1\t1\t0.1\t0.2\t0\t100\tbird\n5\tSpectrogram 1\t1\t0.1\t0.2\t0\t${clip.clip.sampleRate}\techo\n`,
    );
    const before = await tableCounts(core);
    let message = '';
    try {
      await importLabelFile(core, 'tina', { clipId: clip.id, path: bad, format: 'auto' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/line 3: channel 1 does not exist/);
    expect(message).toMatch(/line 4: .*after the clip's last/);
    expect(message).toMatch(/line 5: label "bird" is not in this project's taxonomy/);
    expect(message).toMatch(/line 6: .*Nyquist/);
    expect(message).not.toMatch(/line 2:/);
    expect(await tableCounts(core)).toEqual(before);
    // A Raven table cannot be put onto a whole project, and a JSON line about other audio is refused.
    await expect(importLabelFile(core, 'tina', { projectId: project.id, path: bad, format: 'raven' })).rejects.toThrow(/belongs to one clip/);
    const other = clips.find((c) => c.id !== clip.id)!;
    const jsonl = join(tmp.dir, 'one.jsonl');
    writeFileSync(
      jsonl,
      `${JSON.stringify({
        format: 'earwitness-label/1',
        project: 'x',
        clipId: other.id,
        clipName: 'n',
        clipSha256: other.clip.sha256,
        sampleRate: other.clip.sampleRate,
        channel: 0,
        startSample: 0,
        endSample: 10,
        startS: 0,
        endS: 0,
        lowHz: null,
        highHz: null,
        label: 'echo',
        annotator: null,
        createdAt: null,
        updatedAt: null,
        sensor: null,
        alertId: null,
        time: null,
      })}\n`,
    );
    await expect(importLabelFile(core, 'tina', { clipId: clip.id, path: jsonl, format: 'auto' })).rejects.toThrow(/not this clip's/);
    // A huge file is refused by its size, before it is read; a folder is not a label file.
    const huge = join(tmp.dir, 'huge.txt');
    const fd = openSync(huge, 'w');
    ftruncateSync(fd, 64 * 1024 * 1024);
    closeSync(fd);
    await expect(importLabelFile(core, 'tina', { clipId: clip.id, path: huge, format: 'auto' })).rejects.toThrow(/over the 33554432-byte limit/);
    await expect(importLabelFile(core, 'tina', { clipId: clip.id, path: tmp.dir, format: 'auto' })).rejects.toThrow(/not a regular file/);
    expect(await tableCounts(core)).toEqual(before);
  });
});

/**
 * A reader written from Raven's published layout, apart from ours: tab-separated, a header line
 * whose first seven columns are Selection, View, Channel, Begin Time (s), End Time (s),
 * Low Freq (Hz), High Freq (Hz); selections numbered from 1; one row per view ("Waveform 1",
 * "Spectrogram 1") with the same times; channels from 1; a band of 0..Nyquist means the whole band.
 */
function independentRavenReader(text: string, clip: ProjectClip): ReturnType<typeof shape>[] {
  const [header, ...rows] = text.split('\n').filter((l) => l.length > 0);
  const cols = header!.split('\t');
  expect(cols.slice(0, 7)).toEqual(['Selection', 'View', 'Channel', 'Begin Time (s)', 'End Time (s)', 'Low Freq (Hz)', 'High Freq (Hz)']);
  const label = cols.indexOf('Annotation');
  expect(label).toBeGreaterThan(6);
  const sr = clip.clip.sampleRate;
  const bySelection = new Map<string, string[][]>();
  for (const r of rows) {
    const cells = r.split('\t');
    expect(cells).toHaveLength(cols.length);
    bySelection.set(cells[0]!, [...(bySelection.get(cells[0]!) ?? []), cells]);
  }
  expect([...bySelection.keys()]).toEqual(Array.from({ length: bySelection.size }, (_, i) => String(i + 1)));
  return [...bySelection.values()].map((views) => {
    expect(views.map((v) => v[1]).sort()).toEqual(['Spectrogram 1', 'Waveform 1']);
    const [, , channel, begin, end, low, high] = views[0]!;
    for (const v of views) expect(v.slice(2, 7)).toEqual([channel, begin, end, low, high]);
    const fullBand = Number(low) === 0 && Number(high) === sr / 2;
    return {
      clipId: clip.id,
      channel: Number(channel) - 1,
      startSample: Math.round(Number(begin) * sr),
      endSample: Math.round(Number(end) * sr),
      lowHz: fullBand ? null : Number(low),
      highHz: fullBand ? null : Number(high),
      label: views[0]![label]!,
    };
  });
}
