import type { Shot, Track } from '../../../src/contract/index.ts';

/** The shared time axis of an incident, in integer microseconds UTC: every track is placed on it by its clip's real start. */
export interface TimeAxis {
  startUs: number;
  endUs: number;
}

/** Room left at each end of the axis, as a share of its span, so a shot at a clip's first sample is not drawn on the edge. */
const MARGIN = 0.02;

/**
 * Spans every clip and every located shot time, so nothing the reviewer must see falls off the
 * edge, with a small margin; the start is a whole millisecond so the ruler's labels stay round.
 */
export function axisFor(tracks: readonly Pick<Track, 'clipStartUs' | 'clip'>[], shots: readonly Pick<Shot, 'timeUs'>[] = []): TimeAxis {
  if (tracks.length === 0) return { startUs: 0, endUs: 1_000_000 };
  let startUs = Infinity;
  let endUs = -Infinity;
  for (const t of tracks) {
    startUs = Math.min(startUs, t.clipStartUs);
    endUs = Math.max(endUs, t.clipStartUs + Math.round(t.clip.durationS * 1e6));
  }
  for (const s of shots) {
    startUs = Math.min(startUs, s.timeUs);
    endUs = Math.max(endUs, s.timeUs);
  }
  if (endUs <= startUs) endUs = startUs + 1_000_000;
  const margin = Math.round((endUs - startUs) * MARGIN);
  return { startUs: Math.floor((startUs - margin) / 1000) * 1000, endUs: endUs + margin };
}

/** Where a time falls on the axis, 0 at its start and 1 at its end (outside [0, 1] when off the axis). */
export const axisFraction = (axis: TimeAxis, us: number): number => (us - axis.startUs) / (axis.endUs - axis.startUs);

/** A CSS percentage for left/width styles. */
export const percent = (f: number): string => `${(f * 100).toFixed(4)}%`;

export interface Tick {
  /** Seconds from the ruler's origin (negative before it). */
  s: number;
  fraction: number;
  label: string;
  major: boolean;
}

const STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60];

/**
 * Ruler ticks for a width in pixels, counted from `originUs` (the located shot time when there
 * is one, so a label reads as travel time): the finest round step that keeps labels at least
 * minGapPx apart, with four minor ticks between labels.
 */
export function ticksFor(axis: TimeAxis, widthPx: number, originUs = axis.startUs, minGapPx = 72): Tick[] {
  const spanS = (axis.endUs - axis.startUs) / 1e6;
  if (widthPx <= 0 || spanS <= 0) return [];
  const step = STEPS.find((s) => (s / spanS) * widthPx >= minGapPx) ?? STEPS.at(-1)!;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const minor = step / 5;
  const fromS = (axis.startUs - originUs) / 1e6;
  const toS = (axis.endUs - originUs) / 1e6;
  const ticks: Tick[] = [];
  for (let i = Math.ceil(fromS / minor - 1e-9); i * minor <= toS + 1e-9; i++) {
    const s = i * minor;
    const major = i % 5 === 0;
    const label = !major ? '' : i === 0 ? '0' : `${s > 0 ? '+' : '−'}${Math.abs(s).toFixed(decimals)} s`;
    ticks.push({ s, fraction: (s - fromS) / spanS, major, label });
  }
  return ticks;
}

/** Room a "shot N" badge needs, and a bare number. */
const SHOT_LABEL_PX = 50;
const SHOT_NUMBER_PX = 18;

/**
 * The text of each shot badge on the ruler: "shot N" where it has room, the number alone where
 * rounds come close together, nothing (a plain mark) where they all but touch, so badges never
 * print over each other. A single shot is just "shot".
 */
export function shotBadgeLabels(fractions: readonly number[], widthPx: number): string[] {
  if (fractions.length === 1) return ['shot'];
  return fractions.map((f, i) => {
    const gap = Math.min(...fractions.filter((_, j) => j !== i).map((g) => Math.abs(g - f) * widthPx));
    return gap >= SHOT_LABEL_PX ? `shot ${i + 1}` : gap >= SHOT_NUMBER_PX ? `${i + 1}` : '';
  });
}
