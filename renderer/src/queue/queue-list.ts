import type { AlertSummary } from '../../../src/contract/index.ts';

export type QueueView = 'pending' | 'decided';

/** Newest detection first; ties by the newer import. The host lists in the same order. */
export const newestFirst = (a: AlertSummary, b: AlertSummary): number => b.detectedUs - a.detectedUs || b.id - a.id;

/**
 * Applies one live event to a queue list: the alert enters (or is replaced) when its status
 * belongs to this view, and leaves otherwise. Pure, so the order and de-duplication are tested.
 */
export function applyAlert(list: readonly AlertSummary[], alert: AlertSummary, view: QueueView): AlertSummary[] {
  const rest = list.filter((a) => a.id !== alert.id);
  if (alert.status !== view) return rest.length === list.length ? (list as AlertSummary[]) : rest;
  return [...rest, alert].sort(newestFirst);
}
