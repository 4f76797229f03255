import { axisFor, type TimeAxis } from './axis.ts';
import type { TrackMark, TrackRow } from './track-layout.ts';

/**
 * The deck's timeline: where each track sits, what part of the timeline is in view, and where the
 * pulses are. Deck time is seconds from the axis start. Pure: tested without a browser.
 */

/** Absolute: each clip at its real start time. Arrival: each track shifted so its first arrival lines up with the earliest one. */
export type Alignment = 'absolute' | 'arrival';

export interface PlacedRow extends TrackRow {
  /** Microseconds this track is moved from its real time (0 on absolute time). */
  shiftUs: number;
  /** Deck seconds of the clip's first sample. */
  startS: number;
  durationS: number;
  /** The marks, moved with the track. */
  placedMarks: TrackMark[];
}

export interface DeckLayout {
  axis: TimeAxis;
  spanS: number;
  rows: PlacedRow[];
  /** Every picked pulse, in deck seconds, sorted, with its track. */
  pulses: { s: number; sensorId: string }[];
}

export function layoutDeck(rows: readonly TrackRow[], alignment: Alignment, shotTimesUs: readonly number[]): DeckLayout {
  const reference = Math.min(...rows.map((r) => r.firstArrivalUs ?? Infinity));
  const shiftOf = (r: TrackRow) => (alignment === 'arrival' && r.firstArrivalUs !== null && Number.isFinite(reference) ? reference - r.firstArrivalUs : 0);
  const shifted = rows.map((r) => ({ r, shiftUs: shiftOf(r) }));
  const axis = axisFor(
    shifted.map(({ r, shiftUs }) => ({ clipStartUs: r.track.clipStartUs + shiftUs, clip: r.track.clip })),
    alignment === 'absolute' ? shotTimesUs.map((timeUs) => ({ timeUs })) : [],
  );
  const toS = (us: number) => (us - axis.startUs) / 1e6;
  const placed = shifted.map(({ r, shiftUs }): PlacedRow => ({
    ...r,
    shiftUs,
    startS: toS(r.track.clipStartUs + shiftUs),
    durationS: r.track.clip.durationS,
    // On first-arrival alignment the shot's own time means nothing per track: only pulses and predictions move along.
    placedMarks: r.marks.filter((m) => alignment === 'absolute' || m.kind !== 'shot').map((m) => ({ ...m, timeUs: m.timeUs + shiftUs })),
  }));
  const pulses = placed
    .flatMap((p) => p.placedMarks.filter((m) => m.kind === 'pulse').map((m) => ({ s: toS(m.timeUs), sensorId: p.track.sensorId })))
    .sort((a, b) => a.s - b.s);
  return { axis, spanS: (axis.endUs - axis.startUs) / 1e6, rows: placed, pulses };
}

export interface ViewWindow {
  startS: number;
  endS: number;
}

export const MAX_ZOOM = 64;

/** Zooms by `factor` (above 1 in, below 1 out) keeping `anchorS` where it is on screen, within the deck. */
export function zoomView(view: ViewWindow, spanS: number, anchorS: number, factor: number): ViewWindow {
  const width = Math.min(spanS, Math.max(spanS / MAX_ZOOM, (view.endS - view.startS) / factor));
  const anchor = Math.min(Math.max(anchorS, view.startS), view.endS);
  const share = view.endS > view.startS ? (anchor - view.startS) / (view.endS - view.startS) : 0.5;
  return clampView({ startS: anchor - share * width, endS: anchor + (1 - share) * width }, spanS);
}

/** Moves the view by a share of its width. */
export const panView = (view: ViewWindow, spanS: number, share: number): ViewWindow => {
  const d = (view.endS - view.startS) * share;
  return clampView({ startS: view.startS + d, endS: view.endS + d }, spanS);
};

/** Brings a time into view (a page at a time, as a playhead moving past the edge). */
export function followView(view: ViewWindow, spanS: number, s: number): ViewWindow {
  if (s >= view.startS && s <= view.endS) return view;
  const width = view.endS - view.startS;
  return clampView({ startS: s - width * 0.1, endS: s + width * 0.9 }, spanS);
}

export function clampView(v: ViewWindow, spanS: number): ViewWindow {
  const width = Math.min(spanS, v.endS - v.startS);
  const startS = Math.min(Math.max(0, v.startS), spanS - width);
  return { startS, endS: startS + width };
}

/** The pulse after (or before) a time, beyond a millisecond so a repeated press moves on. */
export function stepPulse(pulses: readonly { s: number; sensorId: string }[], fromS: number, direction: 1 | -1, sensorId: string | null): number | null {
  const candidates = pulses.filter((p) => sensorId === null || p.sensorId === sensorId);
  if (direction > 0) return candidates.find((p) => p.s > fromS + 0.001)?.s ?? null;
  return candidates.findLast((p) => p.s < fromS - 0.001)?.s ?? null;
}

/** The part of a clip inside the view, as shares of the view (for CSS), and the clip's own time at the view's left edge. */
export function clipInView(startS: number, durationS: number, view: ViewWindow): { left: number; width: number; fromS: number } | null {
  const a = Math.max(startS, view.startS);
  const b = Math.min(startS + durationS, view.endS);
  if (b <= a) return null;
  const w = view.endS - view.startS;
  return { left: (a - view.startS) / w, width: (b - a) / w, fromS: a - startS };
}
