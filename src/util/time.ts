/**
 * Instants that matter for location are integer microseconds since the Unix epoch.
 * A JS Date keeps only milliseconds (34 cm of sound travel), so ISO strings are parsed by hand.
 */

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses an ISO 8601 instant with up to 9 fractional digits into integer microseconds (sub-µs digits rounded half-up). */
export function parseIsoMicros(text: string): number {
  const m = ISO_UTC.exec(text.trim());
  if (!m) throw new RangeError(`not an ISO 8601 UTC time: ${JSON.stringify(text.slice(0, 60))}`);
  const [, y, mo, d, h, mi, s, frac = '', zone] = m as unknown as string[];
  const wholeMs = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!);
  // Date.UTC silently normalises 2026-02-31 into March: refuse instead.
  const check = new Date(wholeMs);
  if (check.getUTCMonth() !== +mo! - 1 || check.getUTCDate() !== +d! || +h! > 23 || +mi! > 59 || +s! > 60) {
    throw new RangeError(`not a valid calendar time: ${JSON.stringify(text.slice(0, 60))}`);
  }
  const nanos = Number((frac + '000000000').slice(0, 9));
  let offsetMin = 0;
  if (zone !== 'Z') {
    const sign = zone!.startsWith('-') ? -1 : 1;
    const digits = zone!.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  return (wholeMs - offsetMin * 60_000) * 1000 + Math.round(nanos / 1000);
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
