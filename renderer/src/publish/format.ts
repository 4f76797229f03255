import type { Delivery } from '../../../src/contract/index.ts';

/** Local wall-clock time of integer microseconds, to the second: what a dispatcher compares with a phone log. */
export const clockTime = (us: number | null): string => (us === null ? '—' : new Date(us / 1000).toLocaleTimeString(undefined, { hour12: false }));

export const dateTime = (us: number): string => new Date(us / 1000).toLocaleString(undefined, { hour12: false });

/** What the badge says: a pending row that already failed once is "retrying". */
export function deliveryBadge(d: Delivery): { label: string; tone: string } {
  if (d.state === 'pending' && d.attempts > 0) return { label: `retrying (${d.attempts})`, tone: 'retrying' };
  return { label: d.state, tone: d.state };
}

/** The error of an attempt or delivery, unless it only repeats the HTTP status shown beside it. */
export const errorBeyondStatus = (error: string | null, status: number | null): string | null => (error && error !== `HTTP ${status}` ? error : null);

export function lastOutcome(d: Delivery): string {
  if (d.state === 'delivered') return `HTTP ${d.lastStatus ?? 200}`;
  const status = d.lastStatus !== null ? `HTTP ${d.lastStatus}` : null;
  const error = errorBeyondStatus(d.lastError, d.lastStatus);
  return [status, error].filter(Boolean).join(': ') || '—';
}
