import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore } from '../../support/test-core.ts';
import { methods, SplitBy, type ExportRequest, type Project, type ProjectClip } from '../../../src/contract/index.ts';
import { exportDataset, MANIFEST } from '../../../src/dataset/export.ts';
import { addAlertsToProject } from '../../../src/dataset/import-alerts.ts';
import { importAudio } from '../../../src/dataset/import-audio.ts';
import { createProject } from '../../../src/dataset/projects.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { audiofolderRows, ctl, labelRandomly, writeWav } from '../../support/dataset.ts';
import { tempDir } from '../../support/temp.ts';

interface ManifestClip {
  clipId: number;
  name: string;
  sha256: string;
  sampleRate: number;
  frames: number;
  origin: 'audio' | 'alert';
  alertId: number | null;
  sensorKey: string;
  sourceRecording: string | null;
  clipStart: string | null;
}

const DAY_US = 86_400_000_000;
const T0 = 1_763_600_000_000_000;

/**
 * Pairs of clips that must never be parted, found from the export alone (its manifest and CSV),
 * by a pairwise check written apart from the exporter's union-find: tracks of one alert, the same
 * audio, overlapping pieces of one sensor's stream, pieces of one declared recording.
 */
function mustStayTogether(a: ManifestClip, b: ManifestClip): string | null {
  if (a.alertId !== null && a.alertId === b.alertId) return `alert ${a.alertId}`;
  if (a.sha256 === b.sha256) return 'the same audio';
  if (a.sourceRecording !== null && a.sourceRecording === b.sourceRecording) return `recording ${a.sourceRecording}`;
  if (a.origin === 'alert' && b.origin === 'alert' && a.sensorKey === b.sensorKey && a.clipStart && b.clipStart) {
    const span = (c: ManifestClip) => {
      const start = Date.parse(c.clipStart!) * 1000;
      return [start, start + (c.frames / c.sampleRate) * 1e6] as const;
    };
    const [s1, e1] = span(a);
    const [s2, e2] = span(b);
    if (s1 <= e2 && s2 <= e1) return `overlapping audio of ${a.sensorKey}`;
  }
  return null;
}

describe('no split option leaks an alert, a clip or a source recording unless told to', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let project: Project;
  let clips: ProjectClip[];
  let n = 0;

  beforeAll(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    project = await createProject(core, 'trainer', { name: 'Leaks', description: '', taxonomy: 'default' });
    // Alerts: two cut from the same seconds of one network (overlapping tracks on every sensor),
    // others on other days and networks, so that every grouping has something to part.
    const specs = [
      { id: 'A-1', startUs: T0, sourceAt: { x: 30, y: -20 } },
      { id: 'A-2', startUs: T0 + 1_000_000, sourceAt: { x: 60, y: 10 } },
      { id: 'B-1', startUs: T0 - DAY_US, sourceAt: { x: -80, y: 40 } },
      { id: 'B-2', startUs: T0 - 2 * DAY_US, sourceAt: { x: 10, y: 90 }, sensors: 3 },
      { id: 'C-1', startUs: T0 - 3 * DAY_US, sourceAt: { x: -30, y: -60 }, source: 'other-network' },
      { id: 'C-2', startUs: T0 - 3 * DAY_US + 3_600_000_000, sourceAt: { x: 100, y: 0 }, source: 'other-network' },
    ];
    const alertIds: number[] = [];
    for (const s of specs) {
      const r = await importFolder(core, writeSimpleBundle(join(tmp.dir, 'bundles', s.id), { sensors: 4, ...s }).dir, 'ingest');
      expect(r.status).toBe('imported');
      alertIds.push(r.alertId!);
    }
    await addAlertsToProject(core, 'trainer', project.id, alertIds);
    // Plain audio: one recording cut into pieces (declared per folder), and single recordings.
    const pieces = join(tmp.dir, 'pieces');
    for (let i = 0; i < 4; i++) writeWav(join(pieces, 'long-night', `part-${i}.wav`), { seed: 100 + i });
    for (let i = 0; i < 3; i++) writeWav(join(pieces, 'dawn', `part-${i}.wav`), { seed: 200 + i });
    expect((await importAudio(core, 'trainer', { projectId: project.id, paths: [pieces], onBadFile: 'abort', recordings: 'folder' }, ctl())).imported).toBe(7);
    const singles = join(tmp.dir, 'singles');
    for (let i = 0; i < 6; i++) writeWav(join(singles, `site-${i % 2}`, `rec-${i}.wav`), { seed: 300 + i });
    expect((await importAudio(core, 'trainer', { projectId: project.id, paths: [singles], onBadFile: 'abort' }, ctl())).imported).toBe(6);
    clips = await core.storePort.read((tx) => tx.datasetProjects.clips(project.id, 1000, 0));
    expect(clips).toHaveLength(23 + 13);
    await labelRandomly(core, project, clips, 3);
  });
  afterAll(async () => {
    await core.close();
    tmp.cleanup();
  });

  const run = (splitBy: SplitBy, allowLeaks: boolean) => {
    const outDir = join(tmp.dir, `out-${++n}-${splitBy}`);
    const req: ExportRequest = {
      projectId: project.id,
      format: 'audiofolder',
      outDir,
      filter: {},
      audiofolder: { unit: 'label', splitBy, splits: { train: 0.5, validation: 0.25, test: 0.25 }, seed: `seed-${splitBy}`, allowLeaks },
    };
    return { outDir, done: exportDataset(core, 'trainer', req, ctl()) };
  };

  /** What the export's own files say crossed splits: alerts counted, the rest as pairs. */
  function crossings(outDir: string) {
    const manifest = JSON.parse(readFileSync(join(outDir, MANIFEST), 'utf8')) as { clips: ManifestClip[] };
    const rows = audiofolderRows(outDir);
    const splitOfClip = new Map<number, Set<string>>();
    for (const r of rows) splitOfClip.set(Number(r.clip_id), (splitOfClip.get(Number(r.clip_id)) ?? new Set()).add(r.split!));
    for (const s of splitOfClip.values()) expect(s.size).toBe(1);
    const split = (c: ManifestClip) => [...splitOfClip.get(c.clipId)!][0]!;
    const alertSplits = new Map<string, Set<string>>();
    for (const r of rows) if (r.alert_id) alertSplits.set(r.alert_id, (alertSplits.get(r.alert_id) ?? new Set()).add(r.split!));
    const parted: string[] = [];
    const list = manifest.clips;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const why = mustStayTogether(list[i]!, list[j]!);
        if (why && split(list[i]!) !== split(list[j]!)) parted.push(why);
      }
    }
    return { alerts: [...alertSplits.values()].filter((s) => s.size > 1).length, parted, rows };
  }

  it.each(SplitBy.options)('split by %s: exported only if nothing crosses, else refused with nothing written; allowed, the leak is named', async (splitBy) => {
    const allowed = run(splitBy, true);
    const withLeaks = await allowed.done;
    const found = crossings(allowed.outDir);
    const leaking = found.parted.length > 0;
    expect(found.alerts).toBe(withLeaks.leaks!.alerts);
    expect(withLeaks.leaks!.alerts + withLeaks.leaks!.recordings + withLeaks.leaks!.clips > 0).toBe(leaking);
    expect(withLeaks.leaks!.allowed).toBe(leaking);
    const manifest = JSON.parse(readFileSync(join(allowed.outDir, MANIFEST), 'utf8')) as { leaks: { allowed: boolean }; warnings: string[] };
    expect(manifest.leaks.allowed).toBe(leaking);
    expect(manifest.warnings.some((w) => w.startsWith('LEAK'))).toBe(leaking);

    const strict = run(splitBy, false);
    if (leaking) {
      await expect(strict.done).rejects.toThrow(/in more than one split.*nothing was exported/);
      expect(existsSync(strict.outDir)).toBe(false);
    } else {
      const r = await strict.done;
      expect(r.leaks).toMatchObject({ alerts: 0, clips: 0, recordings: 0, allowed: false });
      expect(crossings(strict.outDir).parted).toEqual([]);
    }
    // The leak-free groupings never leak, and still use more than one split (by recording parts an alert's tracks).
    if (splitBy === 'alert' || splitBy === 'incident') {
      expect(leaking).toBe(false);
      expect(new Set(found.rows.map((r) => r.split)).size).toBeGreaterThan(1);
    }
    // Per-class counts: each split's, as its metadata.csv has them, and they add up to the project's.
    for (const s of ['train', 'validation', 'test'] as const) {
      const counted: Record<string, number> = {};
      for (const r of found.rows.filter((x) => x.split === s)) counted[r.label!] = (counted[r.label!] ?? 0) + 1;
      expect(withLeaks.splits![s].classes).toEqual(counted);
    }
  });

  it("by sensor, the default no more: the demo's three alerts leak, and say what stood in for a missing sensor", async () => {
    const { done } = run('sensor', true);
    const r = await done;
    expect(r.leaks!.alerts).toBeGreaterThan(0);
    expect(r.grouping).toEqual(
      expect.arrayContaining([
        { basis: 'sensor', clips: 23, because: null },
        { basis: 'folder', clips: 13, because: expect.stringMatching(/no sensor: the folder holding each file/) },
      ]),
    );
    expect(r.warnings.some((w) => /13 clips kept together by folder instead of sensor/.test(w))).toBe(true);
    const byAlert = await run('alert', false).done;
    expect(byAlert.grouping).toEqual(
      expect.arrayContaining([
        { basis: 'alert', clips: 23, because: null },
        { basis: 'recording', clips: 13, because: expect.stringMatching(/no alert/) },
      ]),
    );
  });

  it('the request defaults to keeping alerts together', () => {
    const parsed = methods.startExport.input.parse({ projectId: 1, format: 'audiofolder', outDir: '/x' });
    expect(parsed.audiofolder.splitBy).toBe('alert');
    expect(parsed.audiofolder.allowLeaks).toBe(false);
  });

  it('by alert, alerts cut from the same seconds stay together, and so do the pieces of a declared recording', async () => {
    const outDir = join(tmp.dir, 'incident-check');
    await exportDataset(
      core,
      'trainer',
      {
        projectId: project.id,
        format: 'audiofolder',
        outDir,
        filter: {},
        audiofolder: { unit: 'clip', splitBy: 'alert', splits: { train: 0.34, validation: 0.33, test: 0.33 }, seed: 'r', allowLeaks: false },
      },
      ctl(),
    );
    const rows = audiofolderRows(outDir);
    const overlapping = rows.filter((r) => r.alert_external_id === 'A-1' || r.alert_external_id === 'A-2');
    expect(overlapping).toHaveLength(8);
    expect(new Set(overlapping.map((r) => r.split)).size).toBe(1);
    const splitOfName = new Map(rows.map((r) => [r.clip_name!, r.split!]));
    const night = [...splitOfName.entries()].filter(([name]) => name.includes('/long-night/'));
    expect(night).toHaveLength(4);
    expect(new Set(night.map(([, s]) => s)).size).toBe(1);
    expect(readdirSync(outDir)).toContain('README.md');
  });
});
