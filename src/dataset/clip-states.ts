import type { ClipState } from '../contract/index.ts';
import type { CoreServices } from '../core/services.ts';
import { requireClip, requireProject } from './projects.ts';

/**
 * Each trainer's progress through a project: a clip is to do, done or skipped for them, whatever
 * the others did with it, so several trainers can each label every clip (and their agreement be
 * measured). Unchanged states write nothing; a change is audited like every dataset change.
 */
export function listClipStates(core: CoreServices, trainer: string, projectId: number): { trainer: string; states: ClipState[] } {
  requireProject(core, projectId);
  return { trainer, states: core.store.datasetProjects.clipStates(projectId, trainer) };
}

export function setClipState(core: CoreServices, trainer: string, clipId: number, state: ClipState['state']): ClipState {
  const { store, clock } = core;
  return store.tx(() => {
    const clip = requireClip(core, clipId);
    const before = store.datasetProjects.clipState(clipId, trainer);
    const at = clock.nowUs();
    if (before !== state) {
      store.datasetProjects.putClipState(clipId, trainer, state, at);
      store.audit.append({ atUs: at, actor: trainer, action: 'dataset.clip.state', entity: `project:${clip.projectId}`, payload: { clipId, before, state } });
    }
    return store.datasetProjects.clipStates(clip.projectId, trainer).find((s) => s.clipId === clipId) ?? { clipId, state, updatedUs: at };
  });
}
