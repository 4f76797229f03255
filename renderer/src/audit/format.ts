import type { Agreement } from '../../../src/contract/index.ts';

export const fmtKappa = (a: Agreement): string => (a.kappa === null ? '—' : a.kappa.toFixed(3));
export const fmtShare = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);

/** Landis & Koch's bands: how auditors usually read a kappa. */
export function kappaBand(k: number | null): string {
  if (k === null) return 'undefined';
  if (k < 0) return 'worse than chance';
  if (k <= 0.2) return 'slight';
  if (k <= 0.4) return 'fair';
  if (k <= 0.6) return 'moderate';
  if (k <= 0.8) return 'substantial';
  return 'almost perfect';
}

/** Colours that survive grey print and colour-blind readers (Okabe-Ito). */
export const COLOURS = { machine: '#0072B2', qaClass: '#E69F00', qaVerdict: '#009E73', budget: '#56B4E9', change: '#D55E00' } as const;

/** A UTC instant to the millisecond with its date, from integer microseconds: 2026-11-20 03:14:15.926 */
export function stampUtc(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  const ms = String(Math.floor((((us % 1_000_000) + 1_000_000) % 1_000_000) / 1000)).padStart(3, '0');
  return `${d.toISOString().slice(0, 19).replace('T', ' ')}.${ms}`;
}
