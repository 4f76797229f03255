import type { Label, ProjectClip } from '../contract/index.ts';
import type { CoreServices } from '../core/services.ts';
import type { LabelGeometry } from '../store/dataset-labels.ts';
import { UserError } from '../util/errors.ts';
import { requireClip } from './projects.ts';

/** Frequencies are kept to 0.01 Hz: finer than any spectrogram bin, and every format writes them exactly. */
export const roundHz = (hz: number): number => Math.round(hz * 100) / 100;

/**
 * Checks a band against the clip and normalises it: both bounds or neither, low < high <= Nyquist.
 * A band covering 0..Nyquist is no band at all and is stored as none, so formats that always
 * write a band (Raven) round-trip to the same label.
 */
export function normaliseBand(lowHz: number | null, highHz: number | null, sampleRate: number): { lowHz: number | null; highHz: number | null } {
  if (lowHz === null && highHz === null) return { lowHz: null, highHz: null };
  if (lowHz === null || highHz === null) throw new UserError('invalid_input', 'a frequency band needs both a low and a high frequency');
  if (!Number.isFinite(lowHz) || !Number.isFinite(highHz)) throw new UserError('invalid_input', 'frequencies must be finite numbers');
  const low = roundHz(lowHz);
  const high = roundHz(highHz);
  const nyquist = sampleRate / 2;
  if (low < 0) throw new UserError('invalid_input', `low frequency ${low} Hz is negative`);
  if (high > nyquist) throw new UserError('invalid_input', `high frequency ${high} Hz is above the Nyquist frequency of this clip (${nyquist} Hz)`);
  if (!(high > low)) throw new UserError('invalid_input', `the band ${low}-${high} Hz is empty: the high frequency must be above the low`);
  if (low === 0 && high === nyquist) return { lowHz: null, highHz: null };
  return { lowHz: low, highHz: high };
}

export const classIdsOf = (core: CoreServices, projectId: number): Set<number> => new Set(core.store.datasetProjects.classes(projectId).map((c) => c.id));

/** Checks a selection against its clip and its project's classes: class, channel, sample range, band. Returns it normalised. */
export function checkGeometry(clip: ProjectClip, g: LabelGeometry, classIds: ReadonlySet<number>): LabelGeometry {
  if (!classIds.has(g.classId)) throw new UserError('invalid_input', `class ${g.classId} is not in the taxonomy of project ${clip.projectId}`);
  if (!Number.isInteger(g.channel) || g.channel < 0 || g.channel >= clip.clip.channels) {
    throw new UserError(
      'invalid_input',
      `channel ${g.channel} does not exist: clip ${clip.id} has ${clip.clip.channels} channel${clip.clip.channels === 1 ? '' : 's'} (counted from 0)`,
    );
  }
  if (!Number.isInteger(g.startSample) || !Number.isInteger(g.endSample)) throw new UserError('invalid_input', 'selection bounds are whole samples');
  if (g.startSample < 0) throw new UserError('invalid_input', `the selection starts before the clip (sample ${g.startSample})`);
  if (g.endSample <= g.startSample)
    throw new UserError('invalid_input', `the selection ends (sample ${g.endSample}) at or before it starts (sample ${g.startSample})`);
  if (g.endSample > clip.clip.frames)
    throw new UserError('invalid_input', `the selection ends at sample ${g.endSample}, after the clip's last (${clip.clip.frames} samples)`);
  return { ...g, ...normaliseBand(g.lowHz, g.highHz, clip.clip.sampleRate) };
}

export const geometryOf = (l: Label): LabelGeometry => ({
  classId: l.classId,
  channel: l.channel,
  startSample: l.startSample,
  endSample: l.endSample,
  lowHz: l.lowHz,
  highHz: l.highHz,
});

export function createLabel(
  core: CoreServices,
  actor: string,
  input: { clipId: number; channel?: number | undefined } & Omit<LabelGeometry, 'channel'>,
): Label {
  const { store, clock } = core;
  const { id, clip } = store.tx(() => {
    const clip = requireClip(core, input.clipId);
    const g = checkGeometry(clip, { ...input, channel: input.channel ?? clip.channel }, classIdsOf(core, clip.projectId));
    const at = clock.nowUs();
    const labelId = store.datasetLabels.insert({ ...g, projectId: clip.projectId, clipId: clip.id, annotator: actor, atUs: at });
    store.audit.append({ atUs: at, actor, action: 'dataset.label.created', entity: `label:${labelId}`, payload: store.datasetLabels.get(labelId) });
    return { id: labelId, clip };
  });
  core.events.emit('datasetChanged', { projectId: clip.projectId, what: 'labels', clipIds: [clip.id] });
  return store.datasetLabels.get(id)!;
}

function requireLabel(core: CoreServices, id: number, expectedVersion: number | undefined): Label {
  const l = core.store.datasetLabels.get(id);
  if (!l) throw new UserError('not_found', `no label ${id}`);
  if (expectedVersion !== undefined && l.version !== expectedVersion) {
    throw new UserError(
      'conflict',
      `label ${id} was changed by ${l.updatedBy} since you read it (version ${l.version}, you had ${expectedVersion}); reload it`,
    );
  }
  return l;
}

/** What kind of change an update is, for the audit log and the undo history of the labelling view. */
function describeChange(a: LabelGeometry, b: LabelGeometry): string[] {
  const out: string[] = [];
  if (a.classId !== b.classId) out.push('relabelled');
  if (a.channel !== b.channel) out.push('channel');
  const length = (g: LabelGeometry) => g.endSample - g.startSample;
  if (a.startSample !== b.startSample || a.endSample !== b.endSample) out.push(length(a) === length(b) ? 'moved' : 'resized');
  if (a.lowHz !== b.lowHz || a.highHz !== b.highHz) out.push('band');
  return out;
}

export type LabelUpdate = { id: number; expectedVersion?: number | undefined } & Partial<{ [K in keyof LabelGeometry]: LabelGeometry[K] | undefined }>;

export function updateLabel(core: CoreServices, actor: string, input: LabelUpdate): Label {
  const { store, clock } = core;
  const result = store.tx(() => {
    const before = requireLabel(core, input.id, input.expectedVersion);
    const clip = requireClip(core, before.clipId);
    const pick = <K extends keyof LabelGeometry>(k: K): LabelGeometry[K] => (input[k] === undefined ? before[k] : (input[k] as LabelGeometry[K]));
    const next = checkGeometry(
      clip,
      {
        classId: pick('classId'),
        channel: pick('channel'),
        startSample: pick('startSample'),
        endSample: pick('endSample'),
        lowHz: pick('lowHz'),
        highHz: pick('highHz'),
      },
      classIdsOf(core, clip.projectId),
    );
    const changes = describeChange(geometryOf(before), next);
    if (changes.length === 0) return { label: before, clipId: clip.id, projectId: clip.projectId, changed: false };
    const at = clock.nowUs();
    store.datasetLabels.update(before.id, next, actor, at);
    const after = store.datasetLabels.get(before.id)!;
    store.audit.append({ atUs: at, actor, action: 'dataset.label.updated', entity: `label:${before.id}`, payload: { changes, before, after } });
    return { label: after, clipId: clip.id, projectId: clip.projectId, changed: true };
  });
  if (result.changed) core.events.emit('datasetChanged', { projectId: result.projectId, what: 'labels', clipIds: [result.clipId] });
  return result.label;
}

export function deleteLabel(core: CoreServices, actor: string, id: number, expectedVersion: number | undefined): { id: number } {
  const { store, clock } = core;
  const gone = store.tx(() => {
    const before = requireLabel(core, id, expectedVersion);
    store.datasetLabels.delete(id);
    store.audit.append({ atUs: clock.nowUs(), actor, action: 'dataset.label.deleted', entity: `label:${id}`, payload: before });
    return before;
  });
  core.events.emit('datasetChanged', { projectId: gone.projectId, what: 'labels', clipIds: [gone.clipId] });
  return { id };
}
