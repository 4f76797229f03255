import type { Label, ProjectClip } from '../contract/index.ts';
import type { ExportContext } from './export-context.ts';
import { writeAudacityTrack } from './formats/audacity.ts';
import { toJsonlLabel, writeJsonlLine } from './formats/jsonl.ts';
import { writeRavenTable } from './formats/raven.ts';
import { clipStem, safeStem } from './names.ts';

/**
 * The name every file about a clip shares: `<source>-<alert id>-<sensor>` for an alert track (two
 * alerts' tracks from sensor KH-04 no longer both claim KH-04.wav), the file's own stem for plain
 * audio. Names are unique in the export whatever the case (macOS and Windows folders ignore it):
 * a clash takes the clip id as a suffix.
 */
export function soundStems(ctx: ExportContext, clips: readonly ProjectClip[]): Map<number, string> {
  const taken = new Set<string>();
  const out = new Map<number, string>();
  for (const clip of clips) {
    const facts = ctx.alertFacts(clip.alertId);
    const stem =
      clip.origin === 'alert' && facts && clip.sensorId !== null
        ? `${safeStem(facts.source, 40)}-${safeStem(facts.externalId, 40)}-${safeStem(clip.sensorId, 40)}`
        : clipStem(clip.name);
    let unique = stem;
    if (taken.has(unique.toLowerCase())) unique = `${stem}-c${clip.id}`;
    taken.add(unique.toLowerCase());
    out.set(clip.id, unique);
  }
  return out;
}

/** The stored audio of a clip, byte for byte (checked against its hash), beside the tables that name it. */
function writeSound(ctx: ExportContext, clip: ProjectClip, file: string): void {
  ctx.write(file, ctx.audio(clip).bytes, clip.id, 0, null, 'audio');
}

/**
 * One Raven selection table per clip, named as Raven names its own (<sound>.Table.1.selections.txt),
 * beside the sound itself, which its Begin File column names: open the WAV in Raven Pro, then the
 * table (File > Open Selection Table), from the export folder as it is.
 */
export async function writeRaven(ctx: ExportContext): Promise<void> {
  const groups = [...ctx.byClip()];
  const stems = soundStems(
    ctx,
    groups.map((g) => g.clip),
  );
  let done = 0;
  for (const { clip, labels } of groups) {
    await ctx.ctl.checkpoint();
    const stem = stems.get(clip.id)!;
    writeSound(ctx, clip, `${stem}.wav`);
    ctx.write(`${stem}.Table.1.selections.txt`, writeRavenTable(labels, clip.clip.sampleRate, `${stem}.wav`), clip.id, labels.length);
    done += labels.length;
    ctx.ctl.progress('write', done, ctx.labels.length);
  }
  ctx.write(
    'README.md',
    howToOpen(ctx, 'Raven Pro', [
      'Open a sound (File > Open Sound Files: `<name>.wav`), then its table (File > Open Selection Table: `<name>.Table.1.selections.txt`).',
      "Each table's `Begin File` column names the WAV beside it; `Channel` counts from 1; `Annotation` is the label, `Annotator` who made it.",
    ]),
    null,
    0,
  );
}

/** A few lines on opening the folder in the tool it was written for. */
function howToOpen(ctx: ExportContext, tool: string, steps: string[]): string {
  return [
    `# ${ctx.project.name.replace(/[<>`]/g, '')}`,
    '',
    `Exported by Earwitness ${ctx.core.version} for ${tool}: every recording beside the labels about it, each WAV the stored audio byte for byte (its SHA-256 is in earwitness-export.json).`,
    '',
    ...steps.map((s) => `- ${s}`),
    '',
  ].join('\n');
}

/**
 * One Audacity label track per clip and channel, beside the clip's WAV of the same stem: the
 * clip's own channel as <stem>.txt, others as <stem>.chN.txt. In Audacity: File > Import > Audio,
 * then File > Import > Labels.
 */
export async function writeAudacity(ctx: ExportContext): Promise<void> {
  const groups = [...ctx.byClip()];
  const stems = soundStems(
    ctx,
    groups.map((g) => g.clip),
  );
  let done = 0;
  for (const { clip, labels } of groups) {
    await ctx.ctl.checkpoint();
    const stem = stems.get(clip.id)!;
    writeSound(ctx, clip, `${stem}.wav`);
    const byChannel = new Map<number, Label[]>();
    for (const l of labels) byChannel.set(l.channel, [...(byChannel.get(l.channel) ?? []), l]);
    for (const [channel, list] of [...byChannel].sort((a, b) => a[0] - b[0])) {
      const suffix = channel === clip.channel ? '' : `.ch${channel}`;
      ctx.write(`${stem}${suffix}.txt`, writeAudacityTrack(list, clip.clip.sampleRate), clip.id, list.length, channel);
    }
    done += labels.length;
    ctx.ctl.progress('write', done, ctx.labels.length);
  }
  ctx.write(
    'README.md',
    howToOpen(ctx, 'Audacity', [
      'Open a sound (File > Open, or File > Import > Audio: `<name>.wav`), then its labels (File > Import > Labels: `<name>.txt`).',
      "A label track has no channel: `<name>.txt` is about the clip's own channel, `<name>.chN.txt` about channel N (from 0).",
    ]),
    null,
    0,
  );
}

/** Every selected label in one labels.jsonl. */
export async function writeJsonl(ctx: ExportContext): Promise<void> {
  const parts: string[] = [];
  let done = 0;
  for (const { clip, labels } of ctx.byClip()) {
    await ctx.ctl.checkpoint();
    for (const l of labels) parts.push(writeJsonlLine(toJsonlLabel(ctx.project.name, clip, l)));
    done += labels.length;
    ctx.ctl.progress('write', done, ctx.labels.length);
  }
  ctx.write('labels.jsonl', parts.join(''), null, ctx.labels.length);
}
