/**
 * Instants that matter for location are integer microseconds since the Unix epoch.
 * A JS Date keeps only milliseconds (34 cm of sound travel), maps years 0-99 to 1900-1999 and
 * rolls 2026-02-30 into March, so ISO strings are parsed by hand, strictly:
 *
 * - `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM|±HHMM)`: a four-digit year as written, a zone always;
 *   no spaces, no lower-case `t` or `z`, no week or ordinal dates.
 * - The date must exist (no 2026-02-30, no 2025-02-29) and the time too: hours 00-23 (no
 *   24:00:00, no 24:00:01), minutes and seconds 00-59.
 * - Leap seconds (`23:59:60`) are refused: Unix time, which the store keeps, has no place for
 *   them (folding one onto the next second would put two samples at one instant), and none has
 *   been inserted since 2016-12-31.
 * - Offsets within ±14:00 (the widest in use, Kiribati), minutes below 60.
 * - Fractional seconds up to 9 digits; the store keeps integer µs (sub-µs digits rounded half
 *   up), and readers keep the text as written beside it where the store has a column for it.
 * - Years from 1970 (the store's epoch: nothing a sensor recorded is older) to 2254 (beyond that
 *   microseconds no longer fit a double exactly).
 */

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;
const MIN_YEAR = 1970;
/** Number.MAX_SAFE_INTEGER µs is 2255-06-05: every instant of 2254 still fits exactly. */
const MAX_YEAR = 2254;
const MAX_OFFSET_MIN = 14 * 60;

/** A day, in microseconds: how far into the future an input time may be (clocks drift, zones confuse). */
export const FUTURE_SLACK_US = 86_400_000_000;

const quote = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil), in integers. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * Parses an ISO 8601 instant with up to 9 fractional digits into integer microseconds (sub-µs
 * digits rounded half-up). Throws a RangeError saying which part is wrong.
 */
export function parseIsoMicros(text: string): number {
  const m = typeof text === 'string' ? ISO_UTC.exec(text) : null;
  if (!m) throw new RangeError(`${quote(String(text))} is not an ISO 8601 time with a zone, such as 2026-11-20T03:14:14.500000Z`);
  const [, ys, mos, ds, hs, mis, ss, frac = '', zone] = m as unknown as string[];
  const [y, mo, d, h, mi, s] = [ys, mos, ds, hs, mis, ss].map(Number) as [number, number, number, number, number, number];
  if (y < MIN_YEAR) throw new RangeError(`${quote(text)}: year ${ys} is before 1970`);
  if (y > MAX_YEAR) throw new RangeError(`${quote(text)}: year ${ys} is after ${MAX_YEAR}`);
  if (mo < 1 || mo > 12) throw new RangeError(`${quote(text)}: month ${mos} does not exist`);
  const monthDays = mo === 2 && isLeapYear(y) ? 29 : DAYS_IN_MONTH[mo - 1]!;
  if (d < 1 || d > monthDays) throw new RangeError(`${quote(text)}: day ${ds} does not exist in ${ys}-${mos}`);
  if (h > 23) throw new RangeError(`${quote(text)}: hour ${hs} does not exist (00-23)`);
  if (mi > 59) throw new RangeError(`${quote(text)}: minute ${mis} does not exist (00-59)`);
  if (s === 60) throw new RangeError(`${quote(text)}: leap second 60 is refused (Unix time has no place for it)`);
  if (s > 59) throw new RangeError(`${quote(text)}: second ${ss} does not exist (00-59)`);
  let offsetMin = 0;
  if (zone !== 'Z') {
    const digits = zone!.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2)),
      om = Number(digits.slice(2, 4));
    if (om > 59 || oh * 60 + om > MAX_OFFSET_MIN) throw new RangeError(`${quote(text)}: UTC offset ${zone} is not within ±14:00`);
    offsetMin = (zone!.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const seconds = daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offsetMin * 60;
  const nanos = Number((frac + '000000000').slice(0, 9));
  const us = seconds * 1_000_000 + Math.round(nanos / 1000);
  if (us < 0) throw new RangeError(`${quote(text)} is before 1970-01-01T00:00:00Z`);
  return us;
}

/**
 * Why an instant read from an input cannot be what it claims, or null: a sensor recorded
 * nothing before 1970 (parseIsoMicros refuses that already) nor more than a day after the
 * core's clock. `nowUs` is that clock.
 */
export function implausibleInstant(us: number, nowUs: number): string | null {
  if (us > nowUs + FUTURE_SLACK_US) return `${formatIsoMicros(us)} is more than a day after now (${formatIsoMicros(nowUs)})`;
  return null;
}

/** Formats integer microseconds as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (always six digits). */
export function formatIsoMicros(us: number): string {
  const wholeMs = Math.floor(us / 1000);
  const sub = us - wholeMs * 1000; // 0..999 µs
  const base = new Date(wholeMs).toISOString(); // ...SS.mmmZ
  return `${base.slice(0, 23)}${String(Math.round(sub)).padStart(3, '0')}Z`;
}

/** Offset of an instant from a reference, in seconds, without losing precision on large epochs. */
export function secondsBetween(fromUs: number, toUs: number): number {
  return (toUs - fromUs) / 1e6;
}

/** The one source of "now" in the core; tests pass a fake. */
export interface Clock {
  nowUs(): number;
}

export const systemClock: Clock = {
  nowUs: () => Math.round((performance.timeOrigin + performance.now()) * 1000),
};
