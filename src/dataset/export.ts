import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import type { ExportRequest, ExportResult } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import type { AlertFacts } from '../kernel/store-port.ts';
import { canonicalJson, sha256Hex } from '../util/canonical.ts';
import { UserError } from '../util/errors.ts';
import { formatIsoMicros } from '../util/time.ts';
import { writeAudiofolder } from './export-audiofolder.ts';
import { ExportContext } from './export-context.ts';
import { writeAudacity, writeJsonl, writeRaven } from './export-tables.ts';
import type { JobControl } from './jobs.ts';
import { readProject, requireProject } from './projects.ts';

export const EXPORT_MAX_LABELS = 1_000_000;
export const MANIFEST = 'earwitness-export.json';

/** The export folder must not exist yet, or be an empty folder (not a link); its parent must exist. */
function checkOutDir(out: string): void {
  let st;
  try {
    st = lstatSync(out);
  } catch {
    st = null;
  }
  if (st) {
    if (st.isSymbolicLink()) throw new UserError('invalid_input', `${out} is a link: export into a real folder`);
    if (!st.isDirectory()) throw new UserError('invalid_input', `${out} exists and is not a folder`);
    if (readdirSync(out).length > 0) throw new UserError('conflict', `${out} is not empty: export into a new or empty folder, nothing is ever overwritten`);
  }
  let parent;
  try {
    parent = statSync(dirname(out));
  } catch {
    throw new UserError('invalid_input', `the folder ${dirname(out)} does not exist`);
  }
  if (!parent.isDirectory()) throw new UserError('invalid_input', `${dirname(out)} is not a folder`);
}

/** What writeExport put in its folder, before it is moved into place or zipped, and recorded. */
export interface WrittenExport {
  result: Omit<ExportResult, 'outDir' | 'archive'>;
  manifestText: string;
  /** Every file written, relative to the folder, '/' separated (the manifest last). */
  files: string[];
  exportedUs: number;
}

/** The request without where it goes: the folder of the command line, or a seat's zip. */
export type ExportSelection = Omit<ExportRequest, 'outDir'>;

/**
 * Exports a project's labels (or a filtered selection) in one of four formats. Everything is
 * written into a hidden sibling folder first and renamed into place at the end, so the export
 * folder appears complete or not at all: a cancel or an error removes the partial folder.
 */
export async function exportDataset(core: CoreServices, actor: string, req: ExportRequest, ctl: JobControl): Promise<ExportResult> {
  await readProject(core, req.projectId);
  const out = resolve(req.outDir);
  checkOutDir(out);
  const tmp = join(dirname(out), `.${basename(out)}.partial-${randomBytes(6).toString('hex')}`);
  mkdirSync(tmp);
  try {
    const written = await writeExport(core, actor, req, tmp, ctl);
    try {
      renameSync(tmp, out);
    } catch (e) {
      throw new UserError(
        'conflict',
        `cannot move the export into ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (was something written there meanwhile?)`,
      );
    }
    await recordExport(core, actor, req, written, { outDir: out });
    return { ...written.result, outDir: out, archive: null };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Writes the export into `dir`, an empty folder of the core's own; the caller moves it into place
 * or zips it, then records it. A cancel applies up to the end of this call.
 */
export async function writeExport(core: CoreServices, actor: string, req: ExportSelection, dir: string, ctl: JobControl): Promise<WrittenExport> {
  const { clock } = core;
  ctl.progress('read', 0, 0);
  // One read transaction: the project, labels, clips and alert facts are one snapshot even while trainers keep labelling.
  const { project, labels, clips, facts } = await core.storePort.read(async (tx) => {
    const project = await requireProject(tx, req.projectId);
    const total = await tx.datasetLabels.count(project.id, null, req.filter);
    if (total > EXPORT_MAX_LABELS)
      throw new UserError('invalid_input', `${total} labels match: export at most ${EXPORT_MAX_LABELS} at a time (filter by clips or labels)`);
    const labels = await tx.datasetLabels.list(project.id, null, req.filter, EXPORT_MAX_LABELS, 0);
    const clips = new Map((await tx.datasetProjects.clipsByIds(project.id, [...new Set(labels.map((l) => l.clipId))])).map((c) => [c.id, c]));
    const facts = new Map<number, AlertFacts | null>();
    for (const c of clips.values())
      if (c.alertId !== null && !facts.has(c.alertId)) facts.set(c.alertId, (await tx.datasetProjects.alertFacts(c.alertId)) ?? null);
    return { project, labels, clips, facts };
  });

  const ctx = new ExportContext(core, project, labels, clips, facts, dir, ctl);
  if (labels.length === 0) ctx.warnings.push('no label matched: the export holds no labels');
  let splits: ExportResult['splits'] = null;
  let grouping: ExportResult['grouping'] = null;
  let leaks: ExportResult['leaks'] = null;
  switch (req.format) {
    case 'audiofolder':
      ({ splits, grouping, leaks } = await writeAudiofolder(ctx, req.audiofolder));
      break;
    case 'raven':
      await writeRaven(ctx);
      break;
    case 'audacity':
      await writeAudacity(ctx);
      break;
    case 'jsonl':
      await writeJsonl(ctx);
      break;
  }
  const exportedUs = clock.nowUs();
  const manifest = {
    format: 'earwitness-export/1',
    exportFormat: req.format,
    earwitness: core.version,
    exportedAt: formatIsoMicros(exportedUs),
    exportedBy: actor,
    project: { id: project.id, name: project.name },
    filter: req.filter,
    audiofolder: req.format === 'audiofolder' ? req.audiofolder : null,
    labels: labels.length,
    splits,
    grouping,
    leaks,
    warnings: ctx.warnings,
    files: ctx.files,
    clips: [...clips.values()].map((c) => ({
      clipId: c.id,
      name: c.name,
      sha256: c.clip.sha256,
      sampleRate: c.clip.sampleRate,
      channels: c.clip.channels,
      frames: c.clip.frames,
      origin: c.origin,
      alertId: c.alertId,
      sensorId: c.sensorId,
      sensorKey: c.sensorKey,
      site: c.site,
      sourceRecording: c.sourceRecording,
      clipStart: c.clipStartUs === null ? null : formatIsoMicros(c.clipStartUs),
    })),
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  ctx.write(MANIFEST, manifestText, null, 0);
  ctl.progress('finish', labels.length, labels.length);
  await ctl.checkpoint(); // the last moment a cancel applies
  return {
    result: {
      kind: 'export',
      projectId: project.id,
      format: req.format,
      files: ctx.files.length,
      clips: clips.size,
      labels: labels.length,
      splits,
      grouping,
      leaks,
      warnings: ctx.warnings,
    },
    manifestText,
    files: ctx.files.map((f) => f.file),
    exportedUs,
  };
}

/** The audit entry of a finished export; `to` says where it went (a folder of the command line, or a seat's zip). */
export async function recordExport(
  core: CoreServices,
  actor: string,
  req: ExportSelection,
  written: WrittenExport,
  to: Record<string, unknown>,
): Promise<void> {
  const r = written.result;
  await core.storePort.write((tx) =>
    tx.audit.append({
      atUs: written.exportedUs,
      actor,
      action: 'dataset.exported',
      entity: `project:${r.projectId}`,
      payload: {
        format: req.format,
        ...to,
        filter: req.filter,
        labels: r.labels,
        clips: r.clips,
        files: r.files,
        manifestSha256: sha256Hex(written.manifestText),
        options: req.format === 'audiofolder' ? JSON.parse(canonicalJson(req.audiofolder)) : null,
      },
    }),
  );
}
