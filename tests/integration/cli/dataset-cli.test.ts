import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../../support/cli.ts';
import { tempDir } from '../../support/temp.ts';
import { writeWav } from '../../support/dataset.ts';

describe('earwitness dataset', () => {
  let tmp: ReturnType<typeof tempDir>;
  const data = () => join(tmp.dir, 'data');
  /** `earwitness dataset ARGS...` in-process (tests/integration/cli/smoke.test.ts spawns the real one). */
  const run = async (...args: string[]) => {
    const r = await cli(['dataset', ...args, '--data', data()]);
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  beforeAll(() => {
    tmp = tempDir();
    writeWav(join(tmp.dir, 'field', 'a', 'one.wav'), { seed: 1, sampleRate: 16000, frames: 16000 });
    writeWav(join(tmp.dir, 'field', 'b', 'two.wav'), { seed: 2, sampleRate: 16000, frames: 16000, channels: 2 });
    writeFileSync(join(tmp.dir, 'field', 'b', 'broken.wav'), 'RIFF');
  });
  afterAll(() => tmp.cleanup());

  it('creates a project, imports a folder, imports labels onto a clip and exports them in every format', async () => {
    expect(await run('create-project', 'Range day')).toMatchObject({ code: 0 });
    const imp = await run('import-audio', join(tmp.dir, 'field'), '--project', 'range day');
    expect(imp.code).toBe(1); // one file refused
    expect(imp.out).toMatch(/refused +field\/b\/broken\.wav: not a WAV file/);
    expect(imp.out).toMatch(/imported 2, duplicates 0, refused 1/);
    const clips = JSON.parse((await run('clips', '--project', 'Range day', '--json')).out) as { clips: { id: number; name: string }[] };
    const two = clips.clips.find((c) => c.name.endsWith('two.wav'))!;

    const track = join(tmp.dir, 'labels.txt');
    writeFileSync(track, '0.100000\t0.250000\tmuzzle_blast\n\\\t100.000000\t4000.000000\n0.400000\t0.412500\techo\n');
    const i1 = await run('import', track, '--clip', String(two.id), '--channel', '1');
    expect(i1).toMatchObject({ code: 0 });
    expect(i1.out).toMatch(/audacity: added 2 labels/);
    expect((await run('import', track, '--clip', String(two.id), '--channel', '1')).out).toMatch(/added 0 labels .*2 were there already/);

    for (const format of ['raven', 'audacity', 'jsonl', 'audiofolder']) {
      const out = join(tmp.dir, `out-${format}`);
      const r = await run('export', '--project', 'Range day', '--format', format, '--out', out, '--split-by', 'clip', '--splits', '1,0,0');
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/exported 2 labels of 1 clips/);
      expect(readdirSync(out)).toContain('earwitness-export.json');
    }
    const raven = readdirSync(join(tmp.dir, 'out-raven')).find((f) => f.endsWith('.Table.1.selections.txt'))!;
    const rows = readFileSync(join(tmp.dir, 'out-raven', raven), 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'));
    expect(rows.map((r) => r.slice(0, 9))).toEqual([
      ['1', 'Waveform 1', '2', '0.100000000', '0.250000000', '100.000', '4000.000', 'two.wav', 'muzzle_blast'],
      ['1', 'Spectrogram 1', '2', '0.100000000', '0.250000000', '100.000', '4000.000', 'two.wav', 'muzzle_blast'],
      ['2', 'Waveform 1', '2', '0.400000000', '0.412500000', '0.000', '8000.000', 'two.wav', 'echo'],
      ['2', 'Spectrogram 1', '2', '0.400000000', '0.412500000', '0.000', '8000.000', 'two.wav', 'echo'],
    ]);
    expect(readdirSync(join(tmp.dir, 'out-audiofolder', 'train')).sort()).toHaveLength(3);
    const labels = JSON.parse((await run('labels', '--project', 'Range day', '--json')).out) as {
      labels: { startSample: number; endSample: number; channel: number }[];
    };
    expect(labels.labels.map((l) => [l.channel, l.startSample, l.endSample])).toEqual([
      [1, 1600, 4000],
      [1, 6400, 6600],
    ]);
  }, 120_000); // a dozen command runs, each a Node start: over 30 s on a loaded 2-core machine

  it('says what is wrong in one line: usage (status 2), unknown project, a bad label file (status 1)', async () => {
    const usage = await run('export', '--project', 'Range day');
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/export needs --project NAME --format/);
    const unknown = await run('export', '--project', 'Nope', '--format', 'raven', '--out', join(tmp.dir, 'x'));
    expect(unknown.code).toBe(1);
    expect(unknown.err.trim().split('\n')).toHaveLength(1);
    expect(unknown.err).toMatch(/no labelling project named "Nope"/);
    const bad = join(tmp.dir, 'bad.txt');
    writeFileSync(bad, '0.3\t0.1\techo\n');
    const r = await run('import', bad, '--clip', '1');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 1: the label ends \(0.1 s\) before it starts/);
    expect((await run('frobnicate')).code).toBe(2);
  });

  it("reads a BirdNET table's labels from the column named by --label-column, a point label as its one sample", async () => {
    const clips = JSON.parse((await run('clips', '--project', 'Range day', '--json')).out) as { clips: { id: number; name: string }[] };
    const one = clips.clips.find((c) => c.name.endsWith('one.wav'))!;
    // As BirdNET-Analyzer writes it (generate_raven_table), for a custom classifier whose codes are our class names.
    const table = join(tmp.dir, 'one.BirdNET.selection.table.txt');
    writeFileSync(
      table,
      'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tCommon Name\tSpecies Code\tConfidence\tBegin Path\tFile Offset (s)\n' +
        '1\tSpectrogram 1\t1\t0.0\t0.5\t0\t8000.0\tGunshot\techo\t0.9132\t/field/a/one.wav\t0.0\n',
    );
    const byName = await run('import', table, '--clip', String(one.id));
    expect(byName.code).toBe(1);
    expect(byName.err).toMatch(/line 2: label "Gunshot" is not in this project's taxonomy/);
    const nope = await run('import', table, '--clip', String(one.id), '--label-column', 'Scientific Name');
    expect(nope.err).toMatch(/no column "Scientific Name" to take the labels from: .*"Species Code"/);
    const byCode = await run('import', table, '--clip', String(one.id), '--label-column', 'Species Code');
    expect(byCode, byCode.err).toMatchObject({ code: 0 });
    expect(byCode.out).toMatch(/^raven \(labels from the "Species Code" column\): added 1 labels to clip /);
    const point = join(tmp.dir, 'point.txt');
    writeFileSync(point, '0.500000\t0.500000\tnoise\n');
    const p = await run('import', point, '--clip', String(one.id));
    expect(p.out).toMatch(/audacity: added 1 labels .*\nnote: 1 point label \(start = end\), each kept as the one sample at its instant/);
    const labels = JSON.parse((await run('labels', '--project', 'Range day', '--clip', String(one.id), '--json')).out) as {
      labels: { label: string; startSample: number; endSample: number }[];
    };
    expect(labels.labels.map((l) => [l.label, l.startSample, l.endSample])).toEqual([
      ['echo', 0, 8000],
      ['noise', 8000, 8001],
    ]);
  });

  it("refuses a split that parts the pieces of one recording, saying so, and exports it when told to; prints each split's labels per class", async () => {
    for (let i = 0; i < 4; i++) writeWav(join(tmp.dir, 'pieces', 'night', `part-${i}.wav`), { seed: 50 + i });
    expect((await run('create-project', 'Pieces')).code).toBe(0);
    expect((await run('import-audio', join(tmp.dir, 'pieces'), '--project', 'Pieces', '--recording-per-folder')).code).toBe(0);
    const clips = JSON.parse((await run('clips', '--project', 'Pieces', '--json')).out) as { clips: { id: number; sourceRecording: string }[] };
    expect(new Set(clips.clips.map((c) => c.sourceRecording))).toEqual(new Set(['pieces/night']));
    const track = join(tmp.dir, 'piece.txt');
    writeFileSync(track, '0.100000\t0.200000\techo\n0.300000\t0.350000\tnoise\n');
    for (const c of clips.clips) expect((await run('import', track, '--clip', String(c.id))).code).toBe(0);

    const args = (out: string, ...more: string[]) => [
      'export',
      '--project',
      'Pieces',
      '--format',
      'audiofolder',
      '--out',
      join(tmp.dir, out),
      '--splits',
      '0.5,0.25,0.25',
      ...more,
    ];
    const refused = await run(...args('leaky', '--split-by', 'clip'));
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/keeping clips together by clip leaves 1 source recording in more than one split .*--allow-leaks/);
    expect(readdirSync(tmp.dir)).not.toContain('leaky');
    const allowed = await run(...args('leaky', '--split-by', 'clip', '--allow-leaks'));
    expect(allowed.code).toBe(0);
    expect(allowed.err).toMatch(/warning: LEAK allowed by the request: 1 source recording/);
    const byDefault = await run(...args('whole'));
    expect(byDefault.code).toBe(0);
    expect(byDefault.out).toMatch(/kept together by recording \(4 clips\)/);
    expect(byDefault.err).toMatch(/4 clips kept together by source recording instead of alert: plain audio has no alert/);
    // One group: everything in train, and the table says so, class by class.
    expect(byDefault.out, byDefault.out).toMatch(/^class +train +validation +test$/m);
    expect(byDefault.out).toMatch(/^echo +4 +0 +0$/m);
    expect(byDefault.out).toMatch(/^noise +4 +0 +0$/m);
    expect(byDefault.out).toMatch(/^all +8 +0 +0$/m);
  }, 120_000);
});
