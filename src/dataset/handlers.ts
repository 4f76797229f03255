import { actorName, type Handlers } from '../kernel/handlers.ts';
import { checkOutsideDataFolder } from '../files/data-folder.ts';
import { exportDatasetArchive } from './export-archive.ts';
import { exportDataset } from './export.ts';
import { addAlertsToProject } from './import-alerts.ts';
import { importAudio } from './import-audio.ts';
import { labellerAgreement } from './agreement.ts';
import { listClipStates, setClipState } from './clip-states.ts';
import { importLabelFile } from './import-labels.ts';
import { jobsOf } from './jobs.ts';
import { createLabel, deleteLabel, updateLabel } from './labels.ts';
import { clipPeaks } from './peaks.ts';
import { createProject, readProject, requireClip, requireProject, updateProject, updateTaxonomy } from './projects.ts';

export type DatasetMethod =
  | 'listProjects'
  | 'getProject'
  | 'createProject'
  | 'updateProject'
  | 'updateTaxonomy'
  | 'listProjectClips'
  | 'getProjectClipPeaks'
  | 'addAlertsToProject'
  | 'startAudioImport'
  | 'listLabels'
  | 'createLabel'
  | 'updateLabel'
  | 'deleteLabel'
  | 'importLabelFile'
  | 'startExport'
  | 'getDatasetJob'
  | 'cancelDatasetJob'
  | 'startAudioFileImport'
  | 'importLabels'
  | 'startExportArchive'
  | 'listClipStates'
  | 'setClipState'
  | 'getLabellerAgreement';

/** Paths of the command line are checked against the data folder's own files where they come in. */
const outside = (ctx: { core: { config: { dataDir: string } } }, path: string, use: 'read' | 'walk' | 'write') =>
  checkOutsideDataFolder(ctx.core.config.dataDir, path, use);

/** The trainers' data sets run on the store port (src/kernel/store-port.ts), so they work the same on SQLite and PostgreSQL. */
export const datasetHandlers: Handlers<DatasetMethod> = {
  listProjects: ({ core }) => core.storePort.read(async (tx) => ({ projects: await tx.datasetProjects.listProjects() })),
  getProject: ({ core }, { id }) => readProject(core, id),
  createProject: (ctx, input) => createProject(ctx.core, actorName(ctx), input),
  updateProject: (ctx, input) => updateProject(ctx.core, actorName(ctx), input),
  updateTaxonomy: (ctx, { projectId, classes }) => updateTaxonomy(ctx.core, actorName(ctx), projectId, classes),
  listProjectClips: ({ core }, { projectId, limit, offset }) =>
    core.storePort.read(async (tx) => {
      await requireProject(tx, projectId);
      return { clips: await tx.datasetProjects.clips(projectId, limit, offset), total: await tx.datasetProjects.clipCount(projectId) };
    }),
  listClipStates: (ctx, { projectId }) => listClipStates(ctx.core, actorName(ctx), projectId),
  setClipState: (ctx, { clipId, state }) => setClipState(ctx.core, actorName(ctx), clipId, state),
  getLabellerAgreement: ({ core }, { projectId, toleranceMs }) => labellerAgreement(core, projectId, toleranceMs),
  getProjectClipPeaks: ({ core }, { clipId, channel }) => clipPeaks(core, clipId, channel),
  addAlertsToProject: (ctx, { projectId, alertIds, site }) => addAlertsToProject(ctx.core, actorName(ctx), projectId, alertIds, site),
  startAudioImport: async (ctx, input) => {
    const actor = actorName(ctx);
    await readProject(ctx.core, input.projectId);
    for (const p of input.paths) outside(ctx, p, 'walk');
    const job = jobsOf(ctx.core).start('import-audio', input.projectId, actor, (ctl) => importAudio(ctx.core, actor, input, ctl));
    return { jobId: job.id };
  },
  startAudioFileImport: async (ctx, { projectId, files, site, onBadFile, recordings }) => {
    const actor = actorName(ctx);
    await readProject(ctx.core, projectId);
    const source = ctx.core.files.takeSource(ctx.session.id, files, ['labelAudioFolders', 'labelAudioFiles'], 'walk');
    const request = { projectId, paths: source.roots.map((r) => r.path), site, onBadFile, recordings, recordedPaths: source.roots.map((r) => r.name) };
    try {
      const job = jobsOf(ctx.core).start('import-audio', projectId, actor, (ctl) => importAudio(ctx.core, actor, request, ctl).finally(source.release));
      return { jobId: job.id };
    } catch (e) {
      source.release();
      throw e;
    }
  },
  listLabels: ({ core }, { projectId, clipId, filter, limit, offset }) =>
    core.storePort.read(async (tx) => {
      await requireProject(tx, projectId);
      if (clipId !== undefined && (await requireClip(tx, clipId)).projectId !== projectId) return { labels: [], total: 0 };
      return {
        labels: await tx.datasetLabels.list(projectId, clipId ?? null, filter, limit, offset),
        total: await tx.datasetLabels.count(projectId, clipId ?? null, filter),
      };
    }),
  createLabel: (ctx, input) => createLabel(ctx.core, actorName(ctx), input),
  updateLabel: (ctx, input) => updateLabel(ctx.core, actorName(ctx), input),
  deleteLabel: (ctx, { id, expectedVersion }) => deleteLabel(ctx.core, actorName(ctx), id, expectedVersion),
  importLabelFile: (ctx, input) => importLabelFile(ctx.core, actorName(ctx), { ...input, path: outside(ctx, input.path, 'read') }),
  importLabels: async (ctx, { file, ...input }) => {
    const actor = actorName(ctx);
    const one = ctx.core.files.takeOneFile(ctx.session.id, file, ['labelFile']);
    try {
      return await importLabelFile(ctx.core, actor, { ...input, path: one.path });
    } finally {
      one.release();
    }
  },
  startExport: async (ctx, input) => {
    const actor = actorName(ctx);
    await readProject(ctx.core, input.projectId);
    outside(ctx, input.outDir, 'write');
    const job = jobsOf(ctx.core).start('export', input.projectId, actor, (ctl) => exportDataset(ctx.core, actor, input, ctl));
    return { jobId: job.id };
  },
  startExportArchive: async (ctx, input) => {
    const actor = actorName(ctx);
    await readProject(ctx.core, input.projectId);
    // The target is settled now: a save grant that is not this window's refuses the call, not the job.
    const target = ctx.core.files.openTarget(ctx.session.id, input.to, ['dataset']);
    const job = jobsOf(ctx.core).start('export', input.projectId, actor, (ctl) => exportDatasetArchive(ctx.core, actor, input, target, ctl));
    return { jobId: job.id };
  },
  getDatasetJob: ({ core }, { jobId }) => jobsOf(core).get(jobId),
  cancelDatasetJob: ({ core }, { jobId }) => jobsOf(core).cancel(jobId),
};
