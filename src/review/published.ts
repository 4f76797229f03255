import type { Decision } from '../contract/index.ts';
import type { Store } from '../store/store.ts';

/**
 * The seam between review and publishing. A decision can be undone until its incident is
 * published; publishing (src/publish) answers when that is. Until it does, nothing is ever
 * published and every undo is allowed. Both run inside the undo's transaction.
 */
export function isPublished(_store: Store, _alertId: number): boolean {
  return false;
}

/** Called inside the undo's transaction, after the decision was marked undone: the publisher drops whatever it queued for it. */
export function decisionUndone(_store: Store, _decision: Decision, _actor: string): void {
  /* nothing queued without a publisher */
}
