import type { ClipState, ProjectClip } from '../../../src/contract/index.ts';

export type ClipStateName = ClipState['state'];

/**
 * The clip after `fromId` (wrapping round) that is still to do for this trainer, or null when
 * every clip is done or skipped. Pure: tested on Node.
 */
export function nextToDo(clips: readonly Pick<ProjectClip, 'id'>[], states: ReadonlyMap<number, ClipStateName>, fromId: number | null): number | null {
  const from = clips.findIndex((c) => c.id === fromId);
  for (let k = 1; k <= clips.length; k++) {
    const c = clips[(from + k + clips.length) % clips.length]!;
    if ((states.get(c.id) ?? 'todo') === 'todo') return c.id;
  }
  return null;
}
