import { decodePeaks, encodePeaks } from '../../../src/contract/index.ts';
import { paintEnvelope } from './peak-canvas.ts';
import { envelopeColumns } from './peak-envelope.ts';
import { peakDbfs, toEnvelope } from './peaks.ts';

let warmed = false;

/**
 * Runs the path from peaks to a drawn track once, on made-up peaks of an alert's size, while the
 * seat has nothing better to do. Run cold, in the interpreter, the first alert after sign-in spent
 * several times as long in these loops (decoding, the level, the columns, the path) as every
 * alert after it; the first alert a reviewer opens must open as fast as the rest.
 */
export function warmUpDrawing(): void {
  if (warmed) return;
  warmed = true;
  // Four seconds of interleaved (max, min) pairs at the core's 1,000 pairs a second.
  const made = new Float32Array(8000);
  for (let i = 0; i < made.length; i++) made[i] = (i % 2 ? -0.5 : 0.5) * Math.abs(Math.sin(i / 97));
  const wire = encodePeaks(made);
  const canvas = document.createElement('canvas');
  for (let round = 0; round < 3; round++) {
    const peaks = decodePeaks(wire);
    peakDbfs(peaks);
    toEnvelope(peaks);
    envelopeColumns(peaks, 1200);
    paintEnvelope(canvas, peaks, '#7fb2e5', 1200, 64);
  }
  performance.mark('ew:drawing-warm');
}
