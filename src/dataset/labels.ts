import type { Label, ProjectClip } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import type { LabelGeometry, StoreTx, WriteTx } from '../kernel/store-port.ts';
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

export const classIdsOf = async (tx: StoreTx, projectId: number): Promise<Set<number>> =>
  new Set((await tx.datasetProjects.classes(projectId)).map((c) => c.id));

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
): Promise<Label> {
  return core.storePort.write(async (tx) => {
    const clip = await requireClip(tx, input.clipId);
    const g = checkGeometry(clip, { ...input, channel: input.channel ?? clip.channel }, await classIdsOf(tx, clip.projectId));
    const at = core.clock.nowUs();
    const labelId = await tx.datasetLabels.insert({ ...g, projectId: clip.projectId, clipId: clip.id, annotator: actor, atUs: at });
    const label = (await tx.datasetLabels.get(labelId))!;
    await tx.audit.append({ atUs: at, actor, action: 'dataset.label.created', entity: `label:${labelId}`, payload: label });
    tx.emit('datasetChanged', { projectId: clip.projectId, what: 'labels', clipIds: [clip.id] });
    return label;
  });
}

async function requireLabel(tx: WriteTx, id: number, expectedVersion: number | undefined): Promise<Label> {
  // Locked first on PostgreSQL (the label's clip's alert is no row to lock): two edits of one label take turns, and the second sees the first's version.
  await tx.lock(`dataset-label:${id}`);
  const l = await tx.datasetLabels.get(id);
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

export function updateLabel(core: CoreServices, actor: string, input: LabelUpdate): Promise<Label> {
  return core.storePort.write(async (tx) => {
    const before = await requireLabel(tx, input.id, input.expectedVersion);
    const clip = await requireClip(tx, before.clipId);
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
      await classIdsOf(tx, clip.projectId),
    );
    const changes = describeChange(geometryOf(before), next);
    if (changes.length === 0) return before;
    const at = core.clock.nowUs();
    await tx.datasetLabels.update(before.id, next, actor, at);
    const after = (await tx.datasetLabels.get(before.id))!;
    await tx.audit.append({ atUs: at, actor, action: 'dataset.label.updated', entity: `label:${before.id}`, payload: { changes, before, after } });
    tx.emit('datasetChanged', { projectId: clip.projectId, what: 'labels', clipIds: [clip.id] });
    return after;
  });
}

export function deleteLabel(core: CoreServices, actor: string, id: number, expectedVersion: number | undefined): Promise<{ id: number }> {
  return core.storePort.write(async (tx) => {
    const before = await requireLabel(tx, id, expectedVersion);
    await tx.datasetLabels.delete(id);
    await tx.audit.append({ atUs: core.clock.nowUs(), actor, action: 'dataset.label.deleted', entity: `label:${id}`, payload: before });
    tx.emit('datasetChanged', { projectId: before.projectId, what: 'labels', clipIds: [before.clipId] });
    return { id };
  });
}
