/**
 * The Hugging Face `audiofolder` layout: train/, validation/ and test/ folders, each holding its
 * audio and a metadata.csv whose `file_name` column names the audio beside it. `datasets` loads it
 * with load_dataset("audiofolder", data_dir=...), taking the split from the folder name.
 */
import type { ExportResult, Label, ProjectClip } from '../contract/index.ts';
import { UserError } from '../util/errors.ts';
import { formatIsoMicros } from '../util/time.ts';
import { csvRow, type CsvValue } from './formats/csv.ts';
import { sampleTimeUs } from './formats/jsonl.ts';
import type { ExportContext } from './export-context.ts';
import { clipStem, safeStem } from './names.ts';
import { findLeaks, planSplits, SPLIT_NAMES, type AlertPlace, type SplitBy, type SplitLeakReport, type SplitName, type SplitShares } from './splits.ts';
import { cutChannel } from './wav-cut.ts';

export interface AudiofolderOptions {
  unit: 'label' | 'clip';
  splitBy: SplitBy;
  splits: SplitShares;
  seed: string;
  allowLeaks: boolean;
}

export const LABEL_COLUMNS = [
  'file_name',
  'label',
  'clip_id',
  'clip_name',
  'source_sha256',
  'channel',
  'start_sample',
  'end_sample',
  'sample_rate',
  'start_s',
  'end_s',
  'low_hz',
  'high_hz',
  'annotator',
  'labelled_at',
  'sensor',
  'site',
  'alert_id',
  'alert_external_id',
  'time',
  'rounds',
  'reviewer',
  'decision',
  'split_group',
] as const;

export const CLIP_COLUMNS = [
  'file_name',
  'label',
  'labels',
  'selections',
  'clip_id',
  'clip_name',
  'source_sha256',
  'channel',
  'sample_rate',
  'duration_s',
  'sensor',
  'site',
  'alert_id',
  'alert_external_id',
  'time',
  'rounds',
  'reviewer',
  'decision',
  'split_group',
] as const;

type SplitTotals = Record<SplitName, { groups: number; clips: number; files: number; labels: number; classes: Record<string, number> }>;

export interface AudiofolderOutcome {
  splits: SplitTotals;
  grouping: NonNullable<ExportResult['grouping']>;
  leaks: NonNullable<ExportResult['leaks']>;
}

const SPLIT_BY_WORDS: Record<SplitBy, string> = {
  alert: 'alert',
  incident: 'incident',
  recording: 'source recording',
  site: 'site',
  sensor: 'sensor',
  date: 'UTC date',
  clip: 'clip',
};

/** One line naming what crossed splits. */
function leakSummary(l: SplitLeakReport): string {
  const parts = [
    l.alerts ? `${l.alerts} alert${l.alerts === 1 ? '' : 's'}` : '',
    l.recordings ? `${l.recordings} source recording${l.recordings === 1 ? '' : 's'}` : '',
    l.clips ? `${l.clips} clip${l.clips === 1 ? '' : 's'}' audio` : '',
  ].filter(Boolean);
  return `${parts.join(', ')} in more than one split (${l.examples.slice(0, 3).join('; ')})`;
}

/** The alerts the clips came from, for incidents and for naming leaks. */
function alertPlaces(ctx: ExportContext, clips: readonly ProjectClip[]): Map<number, AlertPlace> {
  const out = new Map<number, AlertPlace>();
  for (const c of clips) {
    if (c.alertId === null || out.has(c.alertId)) continue;
    const f = ctx.alertFacts(c.alertId);
    if (f) out.set(c.alertId, { alertId: f.alertId, source: f.source, externalId: f.externalId, detectedUs: f.detectedUs, lat: f.lat, lon: f.lon });
  }
  return out;
}

/** The alert columns: sensor, where, what the reviewer decided and how many rounds (the reviewer's count, else the machine's). */
function alertColumns(ctx: ExportContext, clip: ProjectClip): Record<string, CsvValue> {
  const f = ctx.alertFacts(clip.alertId);
  return {
    sensor: clip.sensorId ?? '',
    site: clip.site,
    alert_id: clip.alertId,
    alert_external_id: f?.externalId ?? '',
    rounds: f ? (f.decisionRounds ?? f.solutionRounds) : null,
    reviewer: f?.decidedBy ?? '',
    decision: f?.decisionClass ?? '',
  };
}

const isoOrEmpty = (us: number | null) => (us === null ? '' : formatIsoMicros(us));

function labelRow(ctx: ExportContext, file: string, clip: ProjectClip, l: Label, group: string): Record<string, CsvValue> {
  const sr = clip.clip.sampleRate;
  return {
    file_name: file,
    label: l.label,
    clip_id: clip.id,
    clip_name: clip.name,
    source_sha256: clip.clip.sha256,
    channel: l.channel,
    start_sample: l.startSample,
    end_sample: l.endSample,
    sample_rate: sr,
    start_s: l.startSample / sr,
    end_s: l.endSample / sr,
    low_hz: l.lowHz,
    high_hz: l.highHz,
    annotator: l.annotator,
    labelled_at: formatIsoMicros(l.updatedUs),
    time: isoOrEmpty(sampleTimeUs(clip, l.startSample)),
    split_group: group,
    ...alertColumns(ctx, clip),
  };
}

function clipRow(ctx: ExportContext, file: string, clip: ProjectClip, labels: readonly Label[], group: string): Record<string, CsvValue> {
  const distinct = [...new Set(labels.map((l) => l.label))];
  return {
    file_name: file,
    label: distinct.join(';'),
    labels: labels.length,
    selections: JSON.stringify(
      labels.map((l) => ({ label: l.label, channel: l.channel, startSample: l.startSample, endSample: l.endSample, lowHz: l.lowHz, highHz: l.highHz })),
    ),
    clip_id: clip.id,
    clip_name: clip.name,
    source_sha256: clip.clip.sha256,
    channel: clip.channel,
    sample_rate: clip.clip.sampleRate,
    duration_s: clip.clip.frames / clip.clip.sampleRate,
    time: isoOrEmpty(clip.clipStartUs),
    split_group: group,
    ...alertColumns(ctx, clip),
  };
}

/**
 * Cuts (or copies) the audio, writes each split's metadata.csv and a README; returns what each split
 * holds, what the clips were kept together by, and what crossed splits. A split where an alert, a
 * clip's audio or a source recording crosses splits is refused before anything is written, unless
 * the request allows it; then the leak is named in the warnings (and so the manifest).
 */
export async function writeAudiofolder(ctx: ExportContext, o: AudiofolderOptions): Promise<AudiofolderOutcome> {
  const groups = [...ctx.byClip()];
  const alerts = alertPlaces(
    ctx,
    groups.map((g) => g.clip),
  );
  const plan = planSplits(
    groups.map((g) => ({ clip: g.clip, weight: o.unit === 'label' ? g.labels.length : 1 })),
    o.splitBy,
    o.splits,
    o.seed,
    alerts,
  );
  const leaks = findLeaks(
    groups.map((g) => g.clip),
    plan,
    alerts,
  );
  const leaking = leaks.alerts + leaks.clips + leaks.recordings > 0;
  if (leaking && !o.allowLeaks) {
    throw new UserError(
      'conflict',
      `keeping clips together by ${SPLIT_BY_WORDS[o.splitBy]} leaves ${leakSummary(leaks)}: a model would be tested on what it trained on. Keep together by alert (the default), incident or source recording, or allow the leak explicitly (allowLeaks, --allow-leaks); nothing was exported`,
    );
  }
  if (leaking) ctx.warnings.push(`LEAK allowed by the request: ${leakSummary(leaks)}`);
  for (const g of plan.grouping) {
    if (g.because !== null)
      ctx.warnings.push(
        `${g.clips} clip${g.clips === 1 ? '' : 's'} kept together by ${g.basis === 'folder' ? 'folder' : SPLIT_BY_WORDS[g.basis as SplitBy]} instead of ${SPLIT_BY_WORDS[o.splitBy]}: ${g.because}`,
      );
  }
  const columns: readonly string[] = o.unit === 'label' ? LABEL_COLUMNS : CLIP_COLUMNS;
  const csv: Record<SplitName, string[]> = { train: [], validation: [], test: [] };
  const totals: SplitTotals = Object.fromEntries(
    SPLIT_NAMES.map((s) => [s, { groups: plan.groups[s], clips: 0, files: 0, labels: 0, classes: {} }]),
  ) as SplitTotals;
  const total = o.unit === 'label' ? ctx.labels.length : groups.length;
  let done = 0;
  for (const { clip, labels } of groups) {
    await ctx.ctl.checkpoint();
    const split = plan.splitOf(clip);
    const group = plan.groupOf(clip);
    const t = totals[split];
    t.clips++;
    t.labels += labels.length;
    for (const l of labels) t.classes[l.label] = (t.classes[l.label] ?? 0) + 1;
    if (o.unit === 'clip') {
      // The whole recording as stored: byte for byte the evidence, checkable against source_sha256.
      const { bytes } = ctx.audio(clip);
      const file = `c${clip.id}_${clipStem(clip.name)}.wav`;
      ctx.write(`${split}/${file}`, bytes, clip.id, labels.length, null, 'audio');
      const row = clipRow(ctx, file, clip, labels, group);
      csv[split].push(csvRow(columns.map((c) => row[c])));
      t.files++;
      done++;
    } else {
      const { bytes, info } = ctx.audio(clip);
      for (const l of labels) {
        const file = `l${l.id}_${safeStem(l.label, 40)}_c${clip.id}.wav`;
        ctx.write(`${split}/${file}`, cutChannel(bytes, info, l.channel, l.startSample, l.endSample), clip.id, 1, l.channel, 'audio');
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
    else if (o.splits[s] > 0)
      ctx.warnings.push(
        `the ${s} split is empty: ${plan.groups.train + plan.groups.validation + plan.groups.test} ${o.splitBy} group(s) were too few to fill it`,
      );
  }
  ctx.write('README.md', readme(ctx, o, totals), null, 0);
  return { splits: totals, grouping: plan.grouping, leaks: { ...leaks, allowed: leaking } };
}

/** Each split's labels per class, as a table a person reads (the command line prints it). */
export function classTable(splits: SplitTotals | NonNullable<ExportResult['splits']>): string[] {
  const names = [...new Set(SPLIT_NAMES.flatMap((s) => Object.keys(splits[s].classes)))].sort();
  const width = Math.max(5, ...names.map((n) => n.length));
  const cell = (v: string | number) => String(v).padStart(12);
  return [
    `${'class'.padEnd(width)}${SPLIT_NAMES.map(cell).join('')}`,
    ...names.map((n) => `${n.padEnd(width)}${SPLIT_NAMES.map((s) => cell(splits[s].classes[n] ?? 0)).join('')}`),
    `${'all'.padEnd(width)}${SPLIT_NAMES.map((s) => cell(splits[s].labels)).join('')}`,
  ];
}

function readme(ctx: ExportContext, o: AudiofolderOptions, totals: SplitTotals): string {
  const rows = SPLIT_NAMES.map((s) => `| ${s} | ${totals[s].groups} | ${totals[s].clips} | ${totals[s].files} | ${totals[s].labels} |`);
  const classNames = [...new Set(SPLIT_NAMES.flatMap((s) => Object.keys(totals[s].classes)))].sort();
  const classRows = classNames.map((n) => `| ${n} | ${SPLIT_NAMES.map((s) => totals[s].classes[n] ?? 0).join(' | ')} |`);
  return [
    `# ${ctx.project.name.replace(/[<>`]/g, '')}`,
    '',
    `Exported by Earwitness ${ctx.core.version} in the Hugging Face audiofolder layout: \`load_dataset("audiofolder", data_dir=...)\`.`,
    '',
    `- One WAV per ${o.unit === 'label' ? "label, cut exactly to the labelled samples of its channel (mono, the source's sample format)" : 'clip, the stored recording byte for byte'}.`,
    `- Splits by ${SPLIT_BY_WORDS[o.splitBy]}: every clip of one ${SPLIT_BY_WORDS[o.splitBy]} is in one split (and the same audio under two groups joins them). Seed ${JSON.stringify(o.seed)}.`,
    ...ctx.warnings.map((w) => `- ${w.replace(/[<>`]/g, '')}`),
    '- Text cells starting with = + - @ carry a leading apostrophe so that spreadsheets do not run them as formulas.',
    '',
    '| split | groups | clips | files | labels |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    '| labels per class | train | validation | test |',
    '|---|---|---|---|',
    ...classRows,
    '',
  ].join('\n');
}
