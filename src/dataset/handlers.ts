import { actorName, type Handlers } from '../core/handlers.ts';
import { exportDataset } from './export.ts';
import { addAlertsToProject } from './import-alerts.ts';
import { importAudio } from './import-audio.ts';
import { importLabelFile } from './import-labels.ts';
import { jobsOf } from './jobs.ts';
import { createLabel, deleteLabel, updateLabel } from './labels.ts';
import { clipPeaks } from './peaks.ts';
import { createProject, requireClip, requireProject, updateProject, updateTaxonomy } from './projects.ts';

type DatasetMethod =
  | 'listProjects' | 'getProject' | 'createProject' | 'updateProject' | 'updateTaxonomy' | 'listProjectClips' | 'getProjectClipPeaks'
  | 'addAlertsToProject' | 'startAudioImport' | 'listLabels' | 'createLabel' | 'updateLabel' | 'deleteLabel' | 'importLabelFile'
  | 'startExport' | 'getDatasetJob' | 'cancelDatasetJob';

export const datasetHandlers: Handlers<DatasetMethod> = {
  listProjects: ({ core }) => ({ projects: core.store.datasetProjects.listProjects() }),
  getProject: ({ core }, { id }) => requireProject(core, id),
  createProject: (ctx, input) => createProject(ctx.core, actorName(ctx), input),
  updateProject: (ctx, input) => updateProject(ctx.core, actorName(ctx), input),
  updateTaxonomy: (ctx, { projectId, classes }) => updateTaxonomy(ctx.core, actorName(ctx), projectId, classes),
  listProjectClips: ({ core }, { projectId, limit, offset }) => {
    requireProject(core, projectId);
    return { clips: core.store.datasetProjects.clips(projectId, limit, offset), total: core.store.datasetProjects.clipCount(projectId) };
  },
  getProjectClipPeaks: ({ core }, { clipId, channel }) => clipPeaks(core, clipId, channel),
  addAlertsToProject: (ctx, { projectId, alertIds, site }) => addAlertsToProject(ctx.core, actorName(ctx), projectId, alertIds, site),
  startAudioImport: (ctx, input) => {
    const actor = actorName(ctx);
    requireProject(ctx.core, input.projectId);
    const job = jobsOf(ctx.core).start('import-audio', input.projectId, actor, (ctl) => importAudio(ctx.core, actor, input, ctl));
    return { jobId: job.id };
  },
  listLabels: ({ core }, { projectId, clipId, filter, limit, offset }) => {
    requireProject(core, projectId);
    if (clipId !== undefined && requireClip(core, clipId).projectId !== projectId) return { labels: [], total: 0 };
    return {
      labels: core.store.datasetLabels.list(projectId, clipId ?? null, filter, limit, offset),
      total: core.store.datasetLabels.count(projectId, clipId ?? null, filter),
    };
  },
  createLabel: (ctx, input) => createLabel(ctx.core, actorName(ctx), input),
  updateLabel: (ctx, input) => updateLabel(ctx.core, actorName(ctx), input),
  deleteLabel: (ctx, { id, expectedVersion }) => deleteLabel(ctx.core, actorName(ctx), id, expectedVersion),
  importLabelFile: (ctx, input) => importLabelFile(ctx.core, actorName(ctx), input),
  startExport: (ctx, input) => {
    const actor = actorName(ctx);
    requireProject(ctx.core, input.projectId);
    const job = jobsOf(ctx.core).start('export', input.projectId, actor, (ctl) => exportDataset(ctx.core, actor, input, ctl));
    return { jobId: job.id };
  },
  getDatasetJob: ({ core }, { jobId }) => jobsOf(core).get(jobId),
  cancelDatasetJob: ({ core }, { jobId }) => jobsOf(core).cancel(jobId),
};
