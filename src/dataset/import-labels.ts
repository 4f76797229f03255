import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Label } from '../contract/index.ts';
import type { CoreServices } from '../core/services.ts';
import { nameKey } from '../store/dataset-projects.ts';
import type { LabelGeometry } from '../store/dataset-labels.ts';
import { sha256Hex } from '../util/canonical.ts';
import { UserError } from '../util/errors.ts';
import { parseAudacityTrack } from './formats/audacity.ts';
import { parseJsonl } from './formats/jsonl.ts';
import { parseRavenTable } from './formats/raven.ts';
import { LABEL_FILE_LIMITS, LabelFileError, secondsToSample, type LineIssue } from './formats/text.ts';
import { checkGeometry } from './labels.ts';
import { requireClip } from './projects.ts';

export type LabelFileFormat = 'raven' | 'audacity' | 'jsonl';

export interface ImportLabelsRequest {
  clipId: number;
  path: string;
  format: LabelFileFormat | 'auto';
  /** Audacity tracks have no channel: the one they apply to (default: the clip's channel). */
  channel?: number | undefined;
}

/** Tells the format from the first line: JSON, a Raven header, or else an Audacity track. */
export function detectLabelFormat(bytes: Uint8Array): LabelFileFormat {
  const head = new TextDecoder().decode(bytes.subarray(0, 4096)).replace(/^\uFEFF/, '').trimStart();
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
  if (st.size > LABEL_FILE_LIMITS.bytes) throw new UserError('bad_file', `${path} is ${st.size} bytes, over the ${LABEL_FILE_LIMITS.bytes}-byte limit for a label file`);
  return readFileSync(path);
}

interface Candidate {
  line: number;
  label: string;
  channel: number;
  /** Seconds (Raven, Audacity) or samples (JSON Lines). */
  begin: number;
  end: number;
  unit: 's' | 'samples';
  lowHz: number | null;
  highHz: number | null;
  annotator: string | null;
}

/**
 * Puts the labels of a Raven table, an Audacity track or our JSON Lines onto one clip. Every row is
 * checked against the clip (channels, length, Nyquist) and the project's taxonomy first; one bad
 * row refuses the file and nothing is written. Rows identical to a label already on the clip are
 * left as they are, so importing the same file twice changes nothing.
 */
export function importLabelFile(core: CoreServices, actor: string, req: ImportLabelsRequest): { clipId: number; format: LabelFileFormat; added: number; unchanged: number; labels: Label[] } {
  const { store, clock } = core;
  const clip = requireClip(core, req.clipId);
  const bytes = readLabelFile(req.path);
  const format = req.format === 'auto' ? detectLabelFormat(bytes) : req.format;
  const sr = clip.clip.sampleRate;
  const nyquist = sr / 2;
  const issues: LineIssue[] = [];

  let candidates: Candidate[];
  if (format === 'raven') {
    candidates = parseRavenTable(bytes).map((s) => ({ line: s.line, label: s.label, channel: s.channel, begin: s.beginS, end: s.endS, unit: 's', lowHz: s.lowHz, highHz: s.highHz, annotator: s.annotator }));
  } else if (format === 'audacity') {
    const channel = req.channel ?? clip.channel;
    candidates = parseAudacityTrack(bytes).map((s) => ({ line: s.line, label: s.label, channel, begin: s.beginS, end: s.endS, unit: 's',
      lowHz: s.lowHz, highHz: s.highHz === Infinity ? nyquist : s.highHz, annotator: null }));
  } else {
    candidates = parseJsonl(bytes).flatMap((s): Candidate[] => {
      if (s.clipSha256 !== clip.clip.sha256) issues.push({ line: s.line, message: `the line is about clip audio ${s.clipSha256.slice(0, 12)}…, not this clip's ${clip.clip.sha256.slice(0, 12)}…` });
      else if (s.sampleRate !== sr) issues.push({ line: s.line, message: `sample rate ${s.sampleRate} Hz is not this clip's ${sr} Hz` });
      else return [{ line: s.line, label: s.label, channel: s.channel, begin: s.startSample, end: s.endSample, unit: 'samples', lowHz: s.lowHz, highHz: s.highHz, annotator: s.annotator }];
      return [];
    });
  }
  if (candidates.length > LABEL_FILE_LIMITS.rows) throw new LabelFileError('label file', [{ line: 0, message: `${candidates.length} labels is over the limit of ${LABEL_FILE_LIMITS.rows}` }]);

  const classes = new Map(store.datasetProjects.classes(clip.projectId).map((c) => [nameKey(c.name), c]));
  const classIds = new Set([...classes.values()].map((c) => c.id));
  const rows: { geometry: LabelGeometry; annotator: string; line: number }[] = [];
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
    const startSample = c.unit === 's' ? secondsToSample(c.begin, sr) : c.begin;
    const endSample = c.unit === 's' ? secondsToSample(c.end, sr) : c.end;
    try {
      const geometry = checkGeometry(clip, { classId: cls.id, channel: c.channel, startSample, endSample, lowHz: c.lowHz, highHz: c.highHz }, classIds);
      rows.push({ geometry, annotator: c.annotator ?? actor, line: c.line });
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      issues.push({ line: c.line, message: e.message });
    }
  }
  if (issues.length > 0) throw new LabelFileError(`${basename(req.path)} (${format})`, issues.sort((a, b) => a.line - b.line));

  const outcome = store.tx(() => {
    requireClip(core, clip.id);
    const at = clock.nowUs();
    const ids: number[] = [];
    let unchanged = 0;
    for (const r of rows) {
      if (store.datasetLabels.findIdentical(clip.id, r.geometry) !== undefined) {
        unchanged++;
        continue;
      }
      ids.push(store.datasetLabels.insert({ ...r.geometry, projectId: clip.projectId, clipId: clip.id, annotator: r.annotator, atUs: at }));
    }
    if (ids.length > 0) {
      store.audit.append({ atUs: at, actor, action: 'dataset.labels.imported', entity: `clip:${clip.id}`,
        payload: { projectId: clip.projectId, file: basename(req.path), fileSha256: sha256Hex(bytes), format, labelIds: ids, unchanged } });
    }
    return { ids, unchanged };
  });
  if (outcome.ids.length > 0) core.events.emit('datasetChanged', { projectId: clip.projectId, what: 'labels', clipIds: [clip.id] });
  return { clipId: clip.id, format, added: outcome.ids.length, unchanged: outcome.unchanged, labels: outcome.ids.map((id) => store.datasetLabels.get(id)!) };
}
