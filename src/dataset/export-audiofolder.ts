/**
 * The Hugging Face `audiofolder` layout: train/, validation/ and test/ folders, each holding its
 * audio and a metadata.csv whose `file_name` column names the audio beside it. `datasets` loads it
 * with load_dataset("audiofolder", data_dir=...), taking the split from the folder name.
 */
import type { Label, ProjectClip } from '../contract/index.ts';
import { formatIsoMicros } from '../util/time.ts';
import { csvRow, type CsvValue } from './formats/csv.ts';
import { sampleTimeUs } from './formats/jsonl.ts';
import type { ExportContext } from './export-context.ts';
import { clipStem, safeStem } from './names.ts';
import { planSplits, SPLIT_NAMES, type SplitBy, type SplitName, type SplitShares } from './splits.ts';
import { cutChannel } from './wav-cut.ts';

export interface AudiofolderOptions {
  unit: 'label' | 'clip';
  splitBy: SplitBy;
  splits: SplitShares;
  seed: string;
}

export const LABEL_COLUMNS = [
  'file_name', 'label', 'clip_id', 'clip_name', 'source_sha256', 'channel', 'start_sample', 'end_sample', 'sample_rate', 'start_s', 'end_s',
  'low_hz', 'high_hz', 'annotator', 'labelled_at', 'sensor', 'site', 'alert_id', 'alert_external_id', 'time', 'rounds', 'reviewer', 'decision', 'split_group',
] as const;

export const CLIP_COLUMNS = [
  'file_name', 'label', 'labels', 'selections', 'clip_id', 'clip_name', 'source_sha256', 'channel', 'sample_rate', 'duration_s', 'sensor', 'site',
  'alert_id', 'alert_external_id', 'time', 'rounds', 'reviewer', 'decision', 'split_group',
] as const;

type SplitTotals = Record<SplitName, { groups: number; clips: number; files: number; labels: number }>;

/** The alert columns: sensor, where, what the reviewer decided and how many rounds (the reviewer's count, else the machine's). */
function alertColumns(ctx: ExportContext, clip: ProjectClip): Record<string, CsvValue> {
  const f = ctx.alertFacts(clip.alertId);
  return {
    sensor: clip.sensorId ?? '', site: clip.site, alert_id: clip.alertId, alert_external_id: f?.externalId ?? '',
    rounds: f ? (f.decisionRounds ?? f.solutionRounds) : null, reviewer: f?.decidedBy ?? '', decision: f?.decisionClass ?? '',
  };
}

const isoOrEmpty = (us: number | null) => (us === null ? '' : formatIsoMicros(us));

function labelRow(ctx: ExportContext, file: string, clip: ProjectClip, l: Label, group: string): Record<string, CsvValue> {
  const sr = clip.clip.sampleRate;
  return {
    file_name: file, label: l.label, clip_id: clip.id, clip_name: clip.name, source_sha256: clip.clip.sha256, channel: l.channel,
    start_sample: l.startSample, end_sample: l.endSample, sample_rate: sr, start_s: l.startSample / sr, end_s: l.endSample / sr,
    low_hz: l.lowHz, high_hz: l.highHz, annotator: l.annotator, labelled_at: formatIsoMicros(l.updatedUs),
    time: isoOrEmpty(sampleTimeUs(clip, l.startSample)), split_group: group, ...alertColumns(ctx, clip),
  };
}

function clipRow(ctx: ExportContext, file: string, clip: ProjectClip, labels: readonly Label[], group: string): Record<string, CsvValue> {
  const distinct = [...new Set(labels.map((l) => l.label))];
  return {
    file_name: file, label: distinct.join(';'), labels: labels.length,
    selections: JSON.stringify(labels.map((l) => ({ label: l.label, channel: l.channel, startSample: l.startSample, endSample: l.endSample, lowHz: l.lowHz, highHz: l.highHz }))),
    clip_id: clip.id, clip_name: clip.name, source_sha256: clip.clip.sha256, channel: clip.channel, sample_rate: clip.clip.sampleRate,
    duration_s: clip.clip.frames / clip.clip.sampleRate, time: isoOrEmpty(clip.clipStartUs), split_group: group, ...alertColumns(ctx, clip),
  };
}

/** Cuts (or copies) the audio, writes each split's metadata.csv and a README; returns what each split holds. */
export async function writeAudiofolder(ctx: ExportContext, o: AudiofolderOptions): Promise<SplitTotals> {
  const groups = [...ctx.byClip()];
  const plan = planSplits(groups.map((g) => ({ clip: g.clip, weight: o.unit === 'label' ? g.labels.length : 1 })), o.splitBy, o.splits, o.seed);
  const columns: readonly string[] = o.unit === 'label' ? LABEL_COLUMNS : CLIP_COLUMNS;
  const csv: Record<SplitName, string[]> = { train: [], validation: [], test: [] };
  const totals: SplitTotals = Object.fromEntries(SPLIT_NAMES.map((s) => [s, { groups: plan.groups[s], clips: 0, files: 0, labels: 0 }])) as SplitTotals;
  const total = o.unit === 'label' ? ctx.labels.length : groups.length;
  let done = 0;
  for (const { clip, labels } of groups) {
    await ctx.ctl.checkpoint();
    const split = plan.splitOf(clip);
    const group = plan.groupOf(clip);
    const t = totals[split];
    t.clips++;
    t.labels += labels.length;
    if (o.unit === 'clip') {
      // The whole recording as stored: byte for byte the evidence, checkable against source_sha256.
      const { bytes } = ctx.audio(clip);
      const file = `c${clip.id}_${clipStem(clip.name)}.wav`;
      ctx.write(`${split}/${file}`, bytes, clip.id, labels.length);
      const row = clipRow(ctx, file, clip, labels, group);
      csv[split].push(csvRow(columns.map((c) => row[c])));
      t.files++;
      done++;
    } else {
      const { bytes, info } = ctx.audio(clip);
      for (const l of labels) {
        const file = `l${l.id}_${safeStem(l.label, 40)}_c${clip.id}.wav`;
        ctx.write(`${split}/${file}`, cutChannel(bytes, info, l.channel, l.startSample, l.endSample), clip.id, 1);
        const row = labelRow(ctx, file, clip, l, group);
        csv[split].push(csvRow(columns.map((c) => row[c])));
        t.files++;
      }
      done += labels.length;
    }
    ctx.ctl.progress('write', done, total);
  }
  await ctx.ctl.checkpoint();
  for (const s of SPLIT_NAMES) {
    if (csv[s].length > 0) ctx.write(`${s}/metadata.csv`, csvRow(columns) + csv[s].join(''), null, 0);
    else if (o.splits[s] > 0) ctx.warnings.push(`the ${s} split is empty: ${plan.groups.train + plan.groups.validation + plan.groups.test} ${o.splitBy} group(s) were too few to fill it`);
  }
  ctx.write('README.md', readme(ctx, o, totals), null, 0);
  return totals;
}

function readme(ctx: ExportContext, o: AudiofolderOptions, totals: SplitTotals): string {
  const rows = SPLIT_NAMES.map((s) => `| ${s} | ${totals[s].groups} | ${totals[s].clips} | ${totals[s].files} | ${totals[s].labels} |`);
  return [
    `# ${ctx.project.name.replace(/[<>`]/g, '')}`,
    '',
    `Exported by Earwitness ${ctx.core.version} in the Hugging Face audiofolder layout: \`load_dataset("audiofolder", data_dir=...)\`.`,
    '',
    `- One WAV per ${o.unit === 'label' ? 'label, cut exactly to the labelled samples of its channel (mono, the source\'s sample format)' : 'clip, the stored recording byte for byte'}.`,
    `- Splits by ${o.splitBy}: every clip of one ${o.splitBy} is in one split (and a recording present under two groups joins them), so no recording leaks across splits. Seed ${JSON.stringify(o.seed)}.`,
    '- Text cells starting with = + - @ carry a leading apostrophe so that spreadsheets do not run them as formulas.',
    '',
    '| split | groups | clips | files | labels |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
