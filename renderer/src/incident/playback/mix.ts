/**
 * The pure parts of synchronised playback: how loud each track is, and what each media element
 * must do at a deck position. Tested without a browser.
 */

export interface MixTrack {
  id: string;
  gainDb: number;
  muted: boolean;
  solo: boolean;
}

export const MIN_GAIN_DB = -24;
export const MAX_GAIN_DB = 12;
export const RATES = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2] as const;

/** Linear gain of one track: its gain, silenced when muted, or when others are soloed (or another plays alone). */
export function linearGain(t: MixTrack, all: readonly MixTrack[], only: string | null): number {
  if (only !== null) return t.id === only ? 10 ** (t.gainDb / 20) : 0;
  if (t.muted) return 0;
  if (all.some((x) => x.solo) && !t.solo) return 0;
  return 10 ** (t.gainDb / 20);
}

/** The next playback rate up or down the ladder. */
export function stepRate(rate: number, direction: 1 | -1): number {
  const i = RATES.findIndex((r) => r >= rate - 1e-9);
  const at = i === -1 ? RATES.length - 1 : i;
  return RATES[Math.min(RATES.length - 1, Math.max(0, at + direction))]!;
}

export interface ElementNow {
  startS: number;
  durationS: number;
  currentTime: number;
  paused: boolean;
}

/** What an element must do: play from a time, correct its time, pause, or nothing. */
export type ElementAction = { kind: 'start'; at: number } | { kind: 'correct'; at: number } | { kind: 'stop' } | { kind: 'none' };

/** Drift past this is corrected by a seek (a seek costs a small gap, so small drifts are left alone). */
export const MAX_DRIFT_S = 0.04;

/** Where a track's element should be at deck position `positionS`. */
export function elementAction(e: ElementNow, playing: boolean, positionS: number): ElementAction {
  const local = positionS - e.startS;
  const inside = local >= 0 && local < e.durationS - 0.002;
  if (!playing || !inside) return e.paused ? { kind: 'none' } : { kind: 'stop' };
  if (e.paused) return { kind: 'start', at: local };
  return Math.abs(e.currentTime - local) > MAX_DRIFT_S ? { kind: 'correct', at: local } : { kind: 'none' };
}
