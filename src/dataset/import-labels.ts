import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Label, LabelClass, LabelImportResult, ProjectClip } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import { nameKey, type LabelGeometry, type StoreTx } from '../kernel/store-port.ts';
import { sha256Hex } from '../util/canonical.ts';
import { UserError } from '../util/errors.ts';
import { parseAudacityTrack } from './formats/audacity.ts';
import { parseJsonl } from './formats/jsonl.ts';
import { parseRavenTable } from './formats/raven.ts';
import { LABEL_FILE_LIMITS, LabelFileError, secondsToSample, type LineIssue } from './formats/text.ts';
import { checkGeometry } from './labels.ts';
import { requireClip, requireProject } from './projects.ts';

export type LabelFileFormat = 'raven' | 'audacity' | 'jsonl';

export interface ImportLabelsRequest {
  /** The clip a Raven table or Audacity track belongs to (or that every JSON line must name). */
  clipId?: number | undefined;
  /** JSON Lines only: the project whose clips the lines name, by clip id and audio hash. */
  projectId?: number | undefined;
  path: string;
  format: LabelFileFormat | 'auto';
  /** Audacity tracks have no channel: the one they apply to (default: the clip's channel). */
  channel?: number | undefined;
  /** Raven tables: the column holding the labels (default: the first of Annotation, Label, Class, Species, Common Name, Type). */
  labelColumn?: string | undefined;
}

/** Tells the format from the first line: JSON, a Raven header, or else an Audacity track. */
export function detectLabelFormat(bytes: Uint8Array): LabelFileFormat {
  const head = new TextDecoder()
    .decode(bytes.subarray(0, 4096))
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (head.startsWith('{')) return 'jsonl';
  const firstLine = head.split(/\r?\n/, 1)[0] ?? '';
  if (firstLine.split('\t').some((c) => c.trim() === 'Selection') && firstLine.includes('Begin Time (s)')) return 'raven';
  return 'audacity';
}

function readLabelFile(path: string): Buffer {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UserError('bad_file', `${path} does not exist`);
  }
  if (!st.isFile()) throw new UserError('bad_file', `${path} is not a regular file`);
  if (st.size > LABEL_FILE_LIMITS.bytes)
    throw new UserError('bad_file', `${path} is ${st.size} bytes, over the ${LABEL_FILE_LIMITS.bytes}-byte limit for a label file`);
  return readFileSync(path);
}

interface Candidate {
  line: number;
  clip: ProjectClip;
  label: string;
  channel: number;
  /** Seconds (Raven, Audacity) or samples (JSON Lines). */
  begin: number;
  end: number;
  unit: 's' | 'samples';
  /** An Audacity point label: the one sample at `begin`. */
  point?: boolean;
  lowHz: number | null;
  highHz: number | null;
  annotator: string | null;
}

/** Which clip a JSON line is about: the clip it names if the audio matches, else the one clip of the project with that audio. */
function jsonlClipResolver(projectClips: readonly ProjectClip[], target: { clip: ProjectClip } | { projectId: number }) {
  if ('clip' in target) {
    const clip = target.clip;
    return (line: { clipId: number; clipSha256: string; sampleRate: number }): ProjectClip | string => {
      if (line.clipSha256 !== clip.clip.sha256)
        return `the line is about clip audio ${line.clipSha256.slice(0, 12)}…, not this clip's ${clip.clip.sha256.slice(0, 12)}…`;
      return clip;
    };
  }
  const clips = projectClips;
  const byId = new Map(clips.map((c) => [c.id, c]));
  const bySha = new Map<string, ProjectClip[]>();
  for (const c of clips) bySha.set(c.clip.sha256, [...(bySha.get(c.clip.sha256) ?? []), c]);
  return (line: { clipId: number; clipSha256: string }): ProjectClip | string => {
    const named = byId.get(line.clipId);
    if (named && named.clip.sha256 === line.clipSha256) return named;
    const same = bySha.get(line.clipSha256) ?? [];
    if (same.length === 1) return same[0]!;
    return same.length === 0
      ? `no clip of this project holds audio ${line.clipSha256.slice(0, 12)}…`
      : `${same.length} clips of this project hold audio ${line.clipSha256.slice(0, 12)}… and the line's clip id ${line.clipId} is none of them`;
  };
}

/**
 * Puts the labels of a Raven table, an Audacity track or our JSON Lines onto clips. Every row is
 * checked against its clip (channels, length, Nyquist) and the project's taxonomy first; one bad
 * row refuses the file and nothing is written. Rows identical to a label already on the clip are
 * left as they are, so importing the same file twice changes nothing.
 */
export async function importLabelFile(core: CoreServices, actor: string, req: ImportLabelsRequest): Promise<LabelImportResult> {
  if ((req.clipId === undefined) === (req.projectId === undefined)) throw new UserError('invalid_input', 'give either a clip or a project');
  // What the rows are checked against, read in one snapshot: the target, its project's clips (JSON Lines name them) and classes.
  const { target, projectClips, classList } = await core.storePort.read(async (tx: StoreTx) => {
    const target: { clip: ProjectClip } | { projectId: number } =
      req.clipId !== undefined ? { clip: await requireClip(tx, req.clipId) } : { projectId: (await requireProject(tx, req.projectId!)).id };
    const projectId = 'clip' in target ? target.clip.projectId : target.projectId;
    const projectClips = 'clip' in target ? [] : await tx.datasetProjects.clips(projectId, Number.MAX_SAFE_INTEGER, 0);
    const classList: LabelClass[] = await tx.datasetProjects.classes(projectId);
    return { target, projectClips, classList };
  });
  const projectId = 'clip' in target ? target.clip.projectId : target.projectId;
  const bytes = readLabelFile(req.path);
  const format = req.format === 'auto' ? detectLabelFormat(bytes) : req.format;
  if (!('clip' in target) && format !== 'jsonl')
    throw new UserError('invalid_input', `a ${format === 'raven' ? 'Raven table' : 'Audacity track'} belongs to one clip: name the clip`);
  if (req.labelColumn !== undefined && format !== 'raven')
    throw new UserError(
      'invalid_input',
      `a label column is chosen in a Raven selection table, not in ${format === 'jsonl' ? 'JSON Lines' : 'an Audacity label track'}`,
    );
  const issues: LineIssue[] = [];
  const notes: string[] = [];
  let labelColumn: string | null = null;

  let candidates: Candidate[];
  if (format === 'jsonl') {
    const resolve = jsonlClipResolver(projectClips, target);
    candidates = parseJsonl(bytes).flatMap((s): Candidate[] => {
      const clip = resolve(s);
      if (typeof clip === 'string') issues.push({ line: s.line, message: clip });
      else if (s.sampleRate !== clip.clip.sampleRate)
        issues.push({ line: s.line, message: `sample rate ${s.sampleRate} Hz is not the clip's ${clip.clip.sampleRate} Hz` });
      else
        return [
          {
            line: s.line,
            clip,
            label: s.label,
            channel: s.channel,
            begin: s.startSample,
            end: s.endSample,
            unit: 'samples',
            lowHz: s.lowHz,
            highHz: s.highHz,
            annotator: s.annotator,
          },
        ];
      return [];
    });
  } else {
    const clip = (target as { clip: ProjectClip }).clip;
    if (format === 'raven') {
      const table = parseRavenTable(bytes, req.labelColumn);
      labelColumn = table.labelColumn;
      notes.push(...table.notes);
      candidates = table.selections.map((s) => ({
        line: s.line,
        clip,
        label: s.label,
        channel: s.channel,
        begin: s.beginS,
        end: s.endS,
        unit: 's',
        lowHz: s.lowHz,
        highHz: s.highHz,
        annotator: s.annotator,
      }));
    } else {
      const channel = req.channel ?? clip.channel;
      const track = parseAudacityTrack(bytes);
      notes.push(...track.notes);
      candidates = track.labels.map((s) => ({
        line: s.line,
        clip,
        label: s.label,
        channel,
        begin: s.beginS,
        end: s.endS,
        unit: 's',
        point: s.point,
        lowHz: s.lowHz,
        highHz: s.highHz === Infinity ? clip.clip.sampleRate / 2 : s.highHz,
        annotator: null,
      }));
    }
  }
  if (candidates.length > LABEL_FILE_LIMITS.rows)
    throw new LabelFileError('label file', [{ line: 0, message: `${candidates.length} labels is over the limit of ${LABEL_FILE_LIMITS.rows}` }]);

  const classes = new Map(classList.map((c) => [nameKey(c.name), c]));
  const classIds = new Set([...classes.values()].map((c) => c.id));
  const rows: { clip: ProjectClip; geometry: LabelGeometry; annotator: string; line: number }[] = [];
  let overrun = 0;
  for (const c of candidates) {
    const cls = classes.get(nameKey(c.label));
    if (!cls) {
      issues.push({ line: c.line, message: `label ${JSON.stringify(c.label.slice(0, 64))} is not in this project's taxonomy` });
      continue;
    }
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    if (c.annotator !== null && (c.annotator.length > 200 || /[\u0000-\u001f\u007f]/.test(c.annotator))) {
      issues.push({ line: c.line, message: 'the annotator name is over 200 characters or holds control characters' });
      continue;
    }
    const sr = c.clip.clip.sampleRate;
    const frames = c.clip.clip.frames;
    let startSample = c.unit === 's' ? secondsToSample(c.begin, sr) : c.begin;
    let endSample = c.unit === 's' ? secondsToSample(c.end, sr) : c.end;
    // A point at the clip's very end is its last sample.
    if (c.point) [startSample, endSample] = startSample === frames && frames > 0 ? [frames - 1, frames] : [startSample, startSample + 1];
    // A tool's last segment may run past the file (BirdNET pads its last 3 s window): what starts inside ends at the clip's end.
    if (c.unit === 's' && startSample < frames && endSample > frames) {
      endSample = frames;
      overrun++;
    }
    try {
      const geometry = checkGeometry(c.clip, { classId: cls.id, channel: c.channel, startSample, endSample, lowHz: c.lowHz, highHz: c.highHz }, classIds);
      rows.push({ clip: c.clip, geometry, annotator: c.annotator ?? actor, line: c.line });
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      issues.push({ line: c.line, message: e.message });
    }
  }
  if (issues.length > 0)
    throw new LabelFileError(
      `${basename(req.path)} (${format})`,
      issues.sort((a, b) => a.line - b.line),
    );
  if (overrun > 0) notes.push(`${overrun} selection${overrun === 1 ? '' : 's'} ran past the clip's end and now end with it`);

  const outcome = await core.storePort.write(async (tx) => {
    // Imports and edits of one project's labels take turns, so the identical-row check sees the others' rows.
    await tx.lock(`dataset-project-labels:${projectId}`);
    const project = await requireProject(tx, projectId);
    // The taxonomy may have changed since the rows were checked: a class removed meanwhile refuses the file.
    const current = new Set(project.classes.map((c) => c.id));
    const gone = rows.find((r) => !current.has(r.geometry.classId));
    if (gone) throw new UserError('conflict', `line ${gone.line}: its class was removed from the taxonomy meanwhile; nothing was imported`);
    const at = core.clock.nowUs();
    const ids: number[] = [];
    let unchanged = 0;
    for (const r of rows) {
      if ((await tx.datasetLabels.findIdentical(r.clip.id, r.geometry)) !== undefined) {
        unchanged++;
        continue;
      }
      ids.push(await tx.datasetLabels.insert({ ...r.geometry, projectId, clipId: r.clip.id, annotator: r.annotator, atUs: at }));
    }
    const clipIds = [...new Set(rows.map((r) => r.clip.id))];
    if (ids.length > 0) {
      await tx.audit.append({
        atUs: at,
        actor,
        action: 'dataset.labels.imported',
        entity: `project:${projectId}`,
        payload: { file: basename(req.path), fileSha256: sha256Hex(bytes), format, labelColumn, clipIds, labelIds: ids, unchanged, notes },
      });
      tx.emit('datasetChanged', { projectId, what: 'labels', clipIds });
    }
    const labels: Label[] = [];
    for (const id of ids) labels.push((await tx.datasetLabels.get(id))!);
    return { ids, unchanged, clipIds, labels };
  });
  return {
    projectId,
    clipIds: outcome.clipIds,
    format,
    labelColumn,
    notes,
    added: outcome.ids.length,
    unchanged: outcome.unchanged,
    labels: outcome.labels,
  };
}
