import { compareUrgency, type AlertSummary, type Claim, type QueueEntry, type SeatSettings } from '../../../src/contract/index.ts';

export type QueueView = 'pending' | 'decided';

/** Newest detection first; ties by the newer import. The host lists decided alerts in the same order. */
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

/** The same for the pending queue, whose entries carry their claims: a summary keeps the claim it had. */
export function applyPending(list: readonly QueueEntry[], alert: AlertSummary): QueueEntry[] {
  const old = list.find((a) => a.id === alert.id);
  const rest = list.filter((a) => a.id !== alert.id);
  if (alert.status !== 'pending') return rest.length === list.length ? (list as QueueEntry[]) : rest;
  return [...rest, { ...alert, claim: old?.claim ?? null }];
}

export function applyClaim(list: readonly QueueEntry[], alertId: number, claim: Claim | null): QueueEntry[] {
  return list.some((a) => a.id === alertId) ? list.map((a) => (a.id === alertId ? { ...a, claim } : a)) : (list as QueueEntry[]);
}

/** The pending queue in the seat's order at this instant (alerts cross their deadline as time passes). */
export const orderPending = (list: readonly QueueEntry[], settings: SeatSettings, nowUs: number): QueueEntry[] =>
  [...list].sort(compareUrgency(settings, nowUs));

/** A countdown to a deadline: "0:42" while there is time, "+1:05" once late; whole seconds, never jumping width. */
export function formatCountdown(leftUs: number): string {
  const late = leftUs <= 0;
  const s = late ? Math.floor(-leftUs / 1e6) : Math.ceil(leftUs / 1e6);
  const m = Math.floor(s / 60);
  const text = m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}` : `${m}:${String(s % 60).padStart(2, '0')}`;
  return late ? `+${text}` : text;
}
