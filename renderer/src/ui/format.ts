/** Display formats shared by the views. Pure functions: no DOM, so they are unit-tested on Node. */

/** "8 s", "3 min 04 s", "2 h 05 min", "3 d 4 h": an age a reviewer reads at a glance. */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Confidence 0..1 as a whole percentage, or a dash when the sensor network gave none. */
export const formatConfidence = (c: number | null | undefined): string => (c === null || c === undefined ? '—' : `${Math.round(c * 100)} %`);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** UTC wall-clock time with milliseconds, from integer microseconds: 03:14:15.926 */
export function formatUtcTime(us: number, fractionDigits: 0 | 3 | 6 = 3): string {
  const ms = Math.floor(us / 1000);
  const d = new Date(ms);
  const base = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (fractionDigits === 0) return base;
  const micros = ((us % 1_000_000) + 1_000_000) % 1_000_000;
  return `${base}.${pad(micros, 6).slice(0, fractionDigits)}`;
}

/** UTC date and time for records (who decided when): 2026-11-20 03:14:15 UTC */
export function formatUtcDateTime(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${formatUtcTime(us, 0)} UTC`;
}

/** A review duration: 4.2 s, 1 min 12 s. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatAge(ms);
}

/** Metres with a sensible precision: 3.4 m, 41 m, 1.25 km. */
export function formatMetres(m: number): string {
  if (!Number.isFinite(m)) return '—';
  if (m >= 1000) return `${(m / 1000).toFixed(m >= 10_000 ? 1 : 2)} km`;
  return m < 10 ? `${m.toFixed(1)} m` : `${Math.round(m)} m`;
}

/** The machine's label as a reviewer reads it: "gunshot" -> "Gunshot". */
export const formatLabel = (label: string): string => (label ? label[0]!.toUpperCase() + label.slice(1).replaceAll('_', ' ') : label);
