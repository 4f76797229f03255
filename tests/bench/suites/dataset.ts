/**
 * Dataset export speed: a project of 1,000 labelled clips (2 s, 16 kHz, 3 labels each) exported
 * to the audiofolder layout with one cut WAV per label, metadata.csv per split. Baseline: copying
 * the same clips' bytes out of the clip store as whole files, no cutting, hashing or CSV.
 * Also the import of those 1,000 WAVs, beside copying the same files.
 */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCore } from '../../../src/core/core.ts';
import { exportDataset } from '../../../src/dataset/export.ts';
import { importAudio } from '../../../src/dataset/import-audio.ts';
import { importLabelFile } from '../../../src/dataset/import-labels.ts';
import { inlineControl } from '../../../src/dataset/jobs.ts';
import { createProject } from '../../../src/dataset/projects.ts';
import { toJsonlLabel, writeJsonlLine } from '../../../src/dataset/formats/jsonl.ts';
import { makeWav, prng } from '../../support/dataset.ts';
import type { BenchSuite, Figure } from '../types.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const suite: BenchSuite = {
  name: 'dataset',
  async run({ workDir, quick, log }): Promise<Figure[]> {
    const clipCount = quick ? 100 : 1000;
    const reps = quick ? 1 : 3;
    const src = join(workDir, 'field');
    for (let i = 0; i < clipCount; i++) {
      const dir = join(src, `site-${i % 5}`, `sensor-${i % 40}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `rec-${i}.wav`), makeWav({ seed: i + 1, sampleRate: 16000, frames: 32000 }));
    }
    log(`${clipCount} WAVs written`);

    // Import, beside copying the same files.
    const files = readdirSync(src, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => join(d.parentPath, d.name));
    let t = performance.now();
    const copyDir = join(workDir, 'copy-in');
    mkdirSync(copyDir);
    files.forEach((f, i) => copyFileSync(f, join(copyDir, `${i}.wav`)));
    const copyInS = (performance.now() - t) / 1000;
    const core = openCore({ dataDir: join(workDir, 'data') });
    try {
      const project = await createProject(core, 'bench', { name: 'bench', description: '', taxonomy: 'default' });
      t = performance.now();
      const imported = await importAudio(core, 'bench', { projectId: project.id, paths: [src], onBadFile: 'abort' }, inlineControl());
      const importS = (performance.now() - t) / 1000;
      if (imported.imported !== clipCount) throw new Error(`imported ${imported.imported} of ${clipCount}`);
      log(`imported in ${importS.toFixed(2)} s`);

      // Three labels per clip, put in through a JSON Lines file (one transaction).
      const rand = prng(1);
      const clips = await core.storePort.read((tx) => tx.datasetProjects.clips(project.id, clipCount, 0));
      const lines = clips.flatMap((clip) =>
        [0, 1, 2].map((k) => {
          const start = Math.floor(rand() * 28000);
          const cls = project.classes[k]!;
          return writeJsonlLine(
            toJsonlLabel(project.name, clip, {
              id: 1,
              projectId: project.id,
              clipId: clip.id,
              classId: cls.id,
              label: cls.name,
              channel: 0,
              startSample: start,
              endSample: start + 800 + Math.floor(rand() * 3000),
              sampleRate: 16000,
              lowHz: null,
              highHz: null,
              annotator: 'bench',
              createdUs: 0,
              updatedUs: 0,
              updatedBy: 'bench',
              version: 1,
            }),
          );
        }),
      );
      writeFileSync(join(workDir, 'labels.jsonl'), lines.join(''));
      await importLabelFile(core, 'bench', { projectId: project.id, path: join(workDir, 'labels.jsonl'), format: 'jsonl' });

      const exportTimes: number[] = [];
      const copyTimes: number[] = [];
      for (let r = 0; r < reps; r++) {
        t = performance.now();
        const result = await exportDataset(
          core,
          'bench',
          {
            projectId: project.id,
            format: 'audiofolder',
            outDir: join(workDir, `export-${r}`),
            filter: {},
            audiofolder: { unit: 'label', splitBy: 'sensor', splits: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 'bench', allowLeaks: false },
          },
          inlineControl(),
        );
        exportTimes.push((performance.now() - t) / 1000);
        if (result.clips !== clipCount || result.labels !== clipCount * 3) throw new Error(`exported ${result.clips} clips, ${result.labels} labels`);
        t = performance.now();
        const out = join(workDir, `copy-${r}`);
        mkdirSync(out);
        for (const c of clips) writeFileSync(join(out, `c${c.id}.wav`), core.clips.read(c.clip.sha256));
        copyTimes.push((performance.now() - t) / 1000);
      }
      log(`export ${exportTimes.map((s) => s.toFixed(2)).join(', ')} s; copy ${copyTimes.map((s) => s.toFixed(2)).join(', ')} s`);
      return [
        {
          name: 'export.clips_per_s',
          value: clipCount / median(exportTimes),
          unit: 'clips/s',
          baseline: clipCount / median(copyTimes),
          baselineLabel: 'copying the same clips whole (no cut, hash or CSV)',
          higherIsBetter: true,
        },
        {
          name: 'import.audio_clips_per_s',
          value: clipCount / importS,
          unit: 'clips/s',
          baseline: clipCount / copyInS,
          baselineLabel: 'copying the same WAV files',
          higherIsBetter: true,
        },
      ];
    } finally {
      await core.close();
    }
  },
};
