import { claimActive, compareUrgency, type AlertSummary, type Claim, type QueueEntry, type SeatSettings } from '../../../src/contract/index.ts';

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

/**
 * The alert the N key would give this seat now: the first in the seat's order that nobody holds,
 * other than the one open. The core orders claimNext the same way (compareUrgency), so this is
 * what the seat prefetches; a wrong guess only costs a fetch.
 */
export function predictNext(list: readonly QueueEntry[], settings: SeatSettings, nowUs: number, openId: number | null): number | null {
  const free = list.filter((a) => a.id !== openId && !claimActive(a.claim, nowUs));
  return free.length === 0 ? null : orderPending(free, settings, nowUs)[0]!.id;
}

/** A countdown to a deadline: "0:42" while there is time, "+1:05" once late; whole seconds, never jumping width. */
export function formatCountdown(leftUs: number): string {
  const late = leftUs <= 0;
  const s = late ? Math.floor(-leftUs / 1e6) : Math.ceil(leftUs / 1e6);
  const m = Math.floor(s / 60);
  const text =
    m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}` : `${m}:${String(s % 60).padStart(2, '0')}`;
  return late ? `+${text}` : text;
}

/**
 * An alert id split for a narrow column: the head may be cut with an ellipsis, the tail never.
 * Ids from one network share their start (source, date) and differ at the end, so cutting the
 * end, as CSS does by itself, leaves every row reading the same. The tail is the last part after
 * a separator when it is short, else the last 8 characters.
 */
export function splitId(id: string): { head: string; tail: string } {
  if (id.length <= 12) return { head: id, tail: '' };
  const cut = Math.max(id.lastIndexOf('-'), id.lastIndexOf('_'), id.lastIndexOf('.'), id.lastIndexOf(':'));
  const at = cut > 0 && id.length - cut <= 12 && id.length - cut >= 3 ? cut : id.length - 8;
  return { head: id.slice(0, at), tail: id.slice(at) };
}
