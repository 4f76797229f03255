import { clampView, type ViewWindow } from '../incident/deck.ts';

/**
 * The labelling view's arithmetic. Labels live in integer samples of their clip (the core's truth,
 * exact in every export); the screen works in seconds. The cursor and every edge are whole
 * samples, so what the keyboard sets is what the core stores. Pure: tested without a browser.
 */

export const toSeconds = (sample: number, sampleRate: number): number => sample / sampleRate;
export const toSample = (s: number, sampleRate: number): number => Math.round(s * sampleRate);

/** Steps the cursor can take, in seconds: the finest that still moves it a pixel is chosen. */
const STEPS_S = [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];

/**
 * One keyboard step in samples at the current zoom: a round time (0.1 ms, 1 ms, 10 ms ...) at least
 * a pixel wide, or a single sample once one sample is wider than a pixel.
 */
export function stepSamples(view: ViewWindow, laneWidthPx: number, sampleRate: number): number {
  const samplesPerPx = ((view.endS - view.startS) * sampleRate) / Math.max(1, laneWidthPx);
  if (samplesPerPx <= 1) return 1;
  for (const s of STEPS_S) {
    const n = Math.round(s * sampleRate);
    if (n >= samplesPerPx && n >= 1) return n;
  }
  return Math.round(STEPS_S.at(-1)! * sampleRate);
}

/** "1 ms", "0.1 ms", "1 sample", "20 ms (320 samples)" for the toolbar. */
export function formatStep(samples: number, sampleRate: number): string {
  if (samples === 1) return '1 sample';
  const s = samples / sampleRate;
  const time = s >= 1 ? `${+s.toFixed(3)} s` : `${+(s * 1000).toFixed(3)} ms`;
  return `${time} (${samples} samples)`;
}

/** A sample as seconds with enough decimals to tell neighbouring samples apart at this rate. */
export function formatSampleTime(sample: number, sampleRate: number): string {
  const decimals = Math.min(9, Math.max(3, Math.ceil(Math.log10(sampleRate))));
  return `${(sample / sampleRate).toFixed(decimals)} s`;
}

/**
 * The narrowest view: a few dozen samples across the lane, so single samples can be placed, but
 * never more than 1024 times zoomed (wavesurfer and the spectrogram draw the whole zoomed width).
 */
export const minViewS = (sampleRate: number, durationS: number): number => Math.max(64 / sampleRate, durationS / 1024);

/** Zooms by `factor` (above 1 in) keeping `anchorS` where it is on screen, within the clip. */
export function zoomClipView(view: ViewWindow, spanS: number, anchorS: number, factor: number, minWidthS: number): ViewWindow {
  const width = Math.min(spanS, Math.max(Math.min(minWidthS, spanS), (view.endS - view.startS) / factor));
  const anchor = Math.min(Math.max(anchorS, view.startS), view.endS);
  const share = view.endS > view.startS ? (anchor - view.startS) / (view.endS - view.startS) : 0.5;
  return clampView({ startS: anchor - share * width, endS: anchor + (1 - share) * width }, spanS);
}

/** A view showing [fromS, toS] with a margin on each side. */
export function fitView(fromS: number, toS: number, spanS: number, minWidthS: number): ViewWindow {
  const width = Math.max(Math.min(minWidthS, spanS), (toS - fromS) * 1.5);
  const mid = (fromS + toS) / 2;
  return clampView({ startS: mid - width / 2, endS: mid + width / 2 }, spanS);
}

/** Keeps a time in view, moving the view as little as possible (a margin of a tenth at each edge). */
export function keepInView(view: ViewWindow, spanS: number, s: number): ViewWindow {
  const width = view.endS - view.startS;
  const margin = width * 0.1;
  if (s >= view.startS + margin && s <= view.endS - margin) return view;
  if (s < view.startS + margin) return clampView({ startS: s - margin, endS: s - margin + width }, spanS);
  return clampView({ startS: s + margin - width, endS: s + margin }, spanS);
}

/** A selection being made: either edge may still be open; when both are set, start < end. */
export interface Draft {
  startSample: number | null;
  endSample: number | null;
  lowHz: number | null;
  highHz: number | null;
}
export const EMPTY_DRAFT: Draft = { startSample: null, endSample: null, lowHz: null, highHz: null };

/** A whole selection, [startSample, endSample). */
export interface Span {
  startSample: number;
  endSample: number;
}

export const spanOf = (d: Draft): Span | null =>
  d.startSample !== null && d.endSample !== null ? { startSample: d.startSample, endSample: d.endSample } : null;

/**
 * Sets one edge. An edge put past the other swaps them (as audio editors do), so the selection is
 * always in order; an edge put on the other closes nothing and leaves it open.
 */
export function withEdge<T extends { startSample: number | null; endSample: number | null }>(d: T, edge: 'start' | 'end', sample: number): T {
  const other = edge === 'start' ? d.endSample : d.startSample;
  if (other === null || other === sample) {
    // The other edge is open, or on this very sample (nothing between them): this edge set, the other open.
    return edge === 'start' ? { ...d, startSample: sample, endSample: null } : { ...d, startSample: null, endSample: sample };
  }
  return { ...d, startSample: Math.min(other, sample), endSample: Math.max(other, sample) };
}

/** Moves one edge by `delta` samples within [0, frames], keeping at least one sample selected. */
export function nudgeEdge(s: Span, edge: 'start' | 'end', delta: number, frames: number): Span {
  if (edge === 'start') return { ...s, startSample: Math.min(s.endSample - 1, Math.max(0, s.startSample + delta)) };
  return { ...s, endSample: Math.max(s.startSample + 1, Math.min(frames, s.endSample + delta)) };
}

/** Moves a whole selection by `delta` samples, stopping at the clip's ends. */
export function moveSpan(s: Span, delta: number, frames: number): Span {
  const length = s.endSample - s.startSample;
  const start = Math.min(frames - length, Math.max(0, s.startSample + delta));
  return { startSample: start, endSample: start + length };
}

/** The next (or previous) item starting after (before) a sample: labels and pulses alike. */
export function stepTo<T extends { startSample: number }>(items: readonly T[], fromSample: number, direction: 1 | -1): T | null {
  if (direction > 0) {
    let best: T | null = null;
    for (const it of items) if (it.startSample > fromSample && (best === null || it.startSample < best.startSample)) best = it;
    return best;
  }
  let best: T | null = null;
  for (const it of items) if (it.startSample < fromSample && (best === null || it.startSample > best.startSample)) best = it;
  return best;
}

/** The pulse the cursor is on (or the nearest one starting within `slack` samples after it). */
export function pulseAt<T extends Span>(pulses: readonly T[], sample: number, slack: number): T | null {
  return (
    pulses.find((p) => sample >= p.startSample && sample < p.endSample) ??
    pulses.find((p) => p.startSample >= sample && p.startSample - sample <= slack) ??
    null
  );
}
