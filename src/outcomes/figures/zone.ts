import { UserError } from '../../util/errors.ts';

/**
 * Local calendar time in an IANA time zone, from Intl (Node carries the full time-zone data):
 * nights and hours of day are counted as people in the city live them, daylight saving included.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalTime {
  /** YYYY-MM-DD */
  day: string;
  hour: number;
}

function parts(ms: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const p: Record<string, number> = {};
  for (const { type, value } of formatter(timeZone).formatToParts(ms)) if (type !== 'literal') p[type] = Number(value);
  return { y: p.year!, mo: p.month!, d: p.day!, h: p.hour! % 24, mi: p.minute!, s: p.second! };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const dayText = (y: number, mo: number, d: number) => `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;

const DAY_MS = 86_400_000;
/** The zone's offset through each UTC day, or null for a day in which it changes; keyed `zone|day`. */
const dayOffsets = new Map<string, number | null>();

/** Local wall time minus UTC at a whole second, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const p = parts(ms, timeZone);
  return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - ms;
}

/**
 * Local day and hour of an instant. Formatting every instant through Intl costs ~18 µs, a year of
 * alerts a good part of a second; so the offset is found once per UTC day (at both ends: equal
 * means no change that day, as offsets change at most once a day) and applied by arithmetic. A
 * day in which the offset changes is formatted instant by instant.
 */
export function localTime(us: number, timeZone: string): LocalTime {
  const ms = Math.floor(us / 1000);
  const day = Math.floor(ms / DAY_MS);
  const key = `${timeZone}|${day}`;
  let offset = dayOffsets.get(key);
  if (offset === undefined) {
    const start = offsetAt(day * DAY_MS, timeZone);
    offset = start === offsetAt((day + 1) * DAY_MS, timeZone) ? start : null;
    if (dayOffsets.size > 200_000) dayOffsets.clear();
    dayOffsets.set(key, offset);
  }
  if (offset === null) {
    const p = parts(ms, timeZone);
    return { day: dayText(p.y, p.mo, p.d), hour: p.h };
  }
  const local = new Date(ms + offset);
  return { day: local.toISOString().slice(0, 10), hour: local.getUTCHours() };
}

/** The calendar day `n` days after a YYYY-MM-DD day. */
export function addDays(day: string, n: number): string {
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, mo - 1, d + n)).toISOString().slice(0, 10);
}

/** A night runs from local noon to the next noon and is named by its evening. */
export function nightOf(us: number, timeZone: string): string {
  const t = localTime(us, timeZone);
  return t.hour >= 12 ? t.day : addDays(t.day, -1);
}

/** Whether a YYYY-MM-DD text is a real calendar day. */
export function isRealDay(day: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= 1970 && y <= 9999 && new Date(Date.UTC(y, mo - 1, d)).toISOString().slice(0, 10) === day;
}

/** The instant (µs) local midnight begins a day in the zone (the first instant of the day, where a DST jump skips midnight). */
export function dayStartUs(day: string, timeZone: string): number {
  if (!isRealDay(day)) throw new UserError('invalid_input', `${JSON.stringify(day.slice(0, 20))} is not a calendar day`);
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d);
  // The zone's offset near that wall time, found twice so a change of offset that day settles.
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const p = parts(guess, timeZone);
    const offset = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - guess;
    guess = wall - offset;
  }
  // Where midnight does not exist (a DST jump at 00:00), the day starts at the first hour that does.
  while (localTime(guess * 1000, timeZone).day < day) guess += 15 * 60_000;
  return guess * 1000;
}
