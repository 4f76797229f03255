/**
 * Earwitness JSON Lines (`earwitness-label/1`): one labelled selection per line, UTF-8, LF. Sample
 * numbers are the truth; seconds are there for people and tools that want them. Documented in
 * docs/dataset/README.md.
 */
import { z } from 'zod';
import { LabelName, type Label, type ProjectClip } from '../../contract/index.ts';
import { formatIsoMicros } from '../../util/time.ts';
import { describeZodIssues } from '../../util/schemas.ts';
import { LabelFileError, textLines, type LineIssue } from './text.ts';

export const JSONL_FORMAT = 'earwitness-label/1';

export const JsonlLabel = z.strictObject({
  format: z.literal(JSONL_FORMAT),
  project: z.string().max(200),
  labelId: z.number().int().positive().optional(),
  clipId: z.number().int().positive(),
  clipName: z.string().max(4096),
  clipSha256: z.string().regex(/^[0-9a-f]{64}$/),
  sampleRate: z.number().int().min(1).max(1_000_000),
  channel: z.number().int().min(0).max(31),
  startSample: z.number().int().min(0),
  endSample: z.number().int().min(1),
  startS: z.number().min(0),
  endS: z.number().min(0),
  lowHz: z.number().min(0).nullable(),
  highHz: z.number().min(0).nullable(),
  label: LabelName,
  annotator: z.string().max(200).nullable(),
  createdAt: z.string().max(40).nullable(),
  updatedAt: z.string().max(40).nullable(),
  sensor: z.string().max(200).nullable(),
  alertId: z.number().int().positive().nullable(),
  /** UTC of the selection's first sample, when the clip's start is known. */
  time: z.string().max(40).nullable(),
});
export type JsonlLabel = z.infer<typeof JsonlLabel>;

/** Absolute UTC time of a sample of a located clip, to the microsecond. */
export function sampleTimeUs(clip: ProjectClip, sample: number): number | null {
  if (clip.clipStartUs === null) return null;
  return clip.clipStartUs + Math.round((sample * 1e6) / clip.clip.sampleRate);
}

export function toJsonlLabel(projectName: string, clip: ProjectClip, l: Label): JsonlLabel {
  const t = sampleTimeUs(clip, l.startSample);
  return {
    format: JSONL_FORMAT,
    project: projectName,
    labelId: l.id,
    clipId: clip.id,
    clipName: clip.name,
    clipSha256: clip.clip.sha256,
    sampleRate: clip.clip.sampleRate,
    channel: l.channel,
    startSample: l.startSample,
    endSample: l.endSample,
    startS: l.startSample / clip.clip.sampleRate,
    endS: l.endSample / clip.clip.sampleRate,
    lowHz: l.lowHz,
    highHz: l.highHz,
    label: l.label,
    annotator: l.annotator,
    createdAt: formatIsoMicros(l.createdUs),
    updatedAt: formatIsoMicros(l.updatedUs),
    sensor: clip.sensorId,
    alertId: clip.alertId,
    time: t === null ? null : formatIsoMicros(t),
  };
}

export const writeJsonlLine = (l: JsonlLabel): string => `${JSON.stringify(l)}\n`;

/** Reads JSON Lines strictly: every line one object of the schema above, nothing else. */
export function parseJsonl(bytes: Uint8Array): (JsonlLabel & { line: number })[] {
  const what = 'JSON Lines label file';
  const lines = textLines(bytes, what);
  const out: (JsonlLabel & { line: number })[] = [];
  const issues: LineIssue[] = [];
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      issues.push({ line: i + 1, message: `not JSON: ${(e as Error).message.slice(0, 80)}` });
      return;
    }
    const parsed = JsonlLabel.safeParse(value);
    if (!parsed.success) issues.push({ line: i + 1, message: describeZodIssues(parsed.error) });
    else out.push({ ...parsed.data, line: i + 1 });
  });
  if (issues.length > 0) throw new LabelFileError(what, issues);
  return out;
}
