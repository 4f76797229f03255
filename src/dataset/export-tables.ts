import type { Label, ProjectClip } from '../contract/index.ts';
import type { ExportContext } from './export-context.ts';
import { writeAudacityTrack } from './formats/audacity.ts';
import { toJsonlLabel, writeJsonlLine } from './formats/jsonl.ts';
import { writeRavenTable } from './formats/raven.ts';
import { clipStem } from './names.ts';

/** The file a tool would open for this clip: the imported file's own name, or <sensor>.wav for an alert track. */
export function soundFileName(clip: ProjectClip): string {
  const last = clip.name.split('/').at(-1) ?? clip.name;
  return clip.origin === 'audio' ? last : `${clipStem(clip.name)}.wav`;
}

/** One Raven selection table per clip, named as Raven names its own: <sound>.Table.1.selections.txt. */
export async function writeRaven(ctx: ExportContext): Promise<void> {
  let done = 0;
  for (const { clip, labels } of ctx.byClip()) {
    await ctx.ctl.checkpoint();
    ctx.write(`c${clip.id}_${clipStem(clip.name)}.Table.1.selections.txt`, writeRavenTable(labels, clip.clip.sampleRate, soundFileName(clip)), clip.id, labels.length);
    done += labels.length;
    ctx.ctl.progress('write', done, ctx.labels.length);
  }
}

/** One Audacity label track per clip and channel: the clip's own channel unsuffixed, others as .chN. */
export async function writeAudacity(ctx: ExportContext): Promise<void> {
  let done = 0;
  for (const { clip, labels } of ctx.byClip()) {
    await ctx.ctl.checkpoint();
    const byChannel = new Map<number, Label[]>();
    for (const l of labels) byChannel.set(l.channel, [...(byChannel.get(l.channel) ?? []), l]);
    for (const [channel, list] of [...byChannel].sort((a, b) => a[0] - b[0])) {
      const suffix = channel === clip.channel ? '' : `.ch${channel}`;
      ctx.write(`c${clip.id}_${clipStem(clip.name)}${suffix}.txt`, writeAudacityTrack(list, clip.clip.sampleRate), clip.id, list.length, channel);
    }
    done += labels.length;
    ctx.ctl.progress('write', done, ctx.labels.length);
  }
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
