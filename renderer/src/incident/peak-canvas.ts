/**
 * A clip's envelope drawn straight onto a canvas from the core's peaks: the seat's first picture
 * of a track. Creating a wavesurfer per track (shadow DOM, observers, its own render pass) took
 * about 100 ms for six tracks on the bench machine, on the path from N to a drawn view; this is one
 * fill per track. wavesurfer still comes when a track needs it (zoom, spectrogram, samples) and
 * draws over it. Same picture as wavesurfer's line waveform with `normalize`: the maxima above
 * the centre line, the minima below, both scaled by the clip's loudest peak.
 */
import { envelopeColumns } from './peak-envelope.ts';

/**
 * Draws the envelope filling the canvas's box (CSS pixels x devicePixelRatio) in `color`.
 * Returns false when the canvas has no size yet (not laid out): nothing was drawn.
 */
export function drawEnvelope(canvas: HTMLCanvasElement, peaks: ArrayLike<number>, color: string): boolean {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.round(canvas.clientWidth * ratio);
  const height = Math.round(canvas.clientHeight * ratio);
  if (width === 0 || height === 0) return false;
  return paintEnvelope(canvas, peaks, color, width, height);
}

/** Draws the envelope on the canvas at `width` x `height` device pixels (the canvas is sized to them). */
export function paintEnvelope(canvas: HTMLCanvasElement, peaks: ArrayLike<number>, color: string, width: number, height: number): boolean {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return false;
  ctx.clearRect(0, 0, width, height);
  const { above, below } = envelopeColumns(peaks, width);
  const half = height / 2;
  // At least a pixel either side, so silence still shows a line, as wavesurfer draws it.
  const reach = (v: number) => Math.max(1, Math.round(v * half));
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.moveTo(0, half);
  for (let x = 0; x < width; x++) ctx.lineTo(x, half - reach(above[x]!));
  ctx.lineTo(width, half);
  for (let x = width - 1; x >= 0; x--) ctx.lineTo(x, half + reach(below[x]!));
  ctx.closePath();
  ctx.fill();
  return true;
}
