import type { ClipState } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import { requireClip, requireProject } from './projects.ts';

/**
 * Each trainer's progress through a project: a clip is to do, done or skipped for them, whatever
 * the others did with it, so several trainers can each label every clip (and their agreement be
 * measured). Unchanged states write nothing; a change is audited like every dataset change.
 */
export function listClipStates(core: CoreServices, trainer: string, projectId: number): Promise<{ trainer: string; states: ClipState[] }> {
  return core.storePort.read(async (tx) => {
    await requireProject(tx, projectId);
    return { trainer, states: await tx.datasetProjects.clipStates(projectId, trainer) };
  });
}

export function setClipState(core: CoreServices, trainer: string, clipId: number, state: ClipState['state']): Promise<ClipState> {
  return core.storePort.write(async (tx) => {
    // One trainer's two windows setting one clip at once: the second sees the first's state.
    await tx.lock(`dataset-clip-state:${clipId}:${trainer}`);
    const clip = await requireClip(tx, clipId);
    const before = await tx.datasetProjects.clipState(clipId, trainer);
    const at = core.clock.nowUs();
    if (before !== state) {
      await tx.datasetProjects.putClipState(clipId, trainer, state, at);
      await tx.audit.append({
        atUs: at,
        actor: trainer,
        action: 'dataset.clip.state',
        entity: `project:${clip.projectId}`,
        payload: { clipId, before, state },
      });
    }
    return (await tx.datasetProjects.clipStates(clip.projectId, trainer)).find((s) => s.clipId === clipId) ?? { clipId, state, updatedUs: at };
  });
}
