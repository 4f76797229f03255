/**
 * The statistics period as the auditor picks it: whole UTC days, both ends included (the core
 * takes [fromUs, toUs), so the end is the midnight after the last day). Pure, so it is tested.
 */
export interface DayPeriod {
  /** YYYY-MM-DD, UTC. */
  from: string;
  to: string;
}

const DAY_US = 86_400_000_000;
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight UTC of a YYYY-MM-DD day, in µs; null for anything else (an empty or half-typed date field). */
export function dayStartUs(day: string): number | null {
  const m = DAY_RE.exec(day);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2026-02-31 over into March: refuse such days instead.
  return new Date(ms).toISOString().slice(0, 10) === day ? ms * 1000 : null;
}

export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The core's half-open interval of a period, or why there is none. */
export function periodMicros(p: DayPeriod): { fromUs: number; toUs: number } | { problem: string } {
  const from = dayStartUs(p.from);
  const to = dayStartUs(p.to);
  if (from === null || to === null) return { problem: 'Give both days as dates.' };
  if (to < from) return { problem: 'The period ends before it starts.' };
  return { fromUs: from, toUs: to + DAY_US };
}

/** The last `days` whole days up to and including today (UTC). */
export function lastDays(days: number, nowMs: number): DayPeriod {
  return { from: utcDay(nowMs - (days - 1) * 86_400_000), to: utcDay(nowMs) };
}

/** The name the CSV of a period is saved under (the core names it the same way). */
export const statsFileName = (p: DayPeriod): string => `earwitness-statistics-${p.from}-to-${p.to}.csv`;
