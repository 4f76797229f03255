import { fft } from './fft.ts';
import { encodePng } from './png.ts';

/** Viridis at nine stops: perceptually even and readable in grey print. */
const VIRIDIS: readonly [number, number, number][] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [109, 205, 89],
  [253, 231, 37],
];

export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i]!,
    b = VIRIDIS[i + 1]!;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

export interface Spectrogram {
  png: Buffer;
  width: number;
  height: number;
  /** Top of the image in Hz (Nyquist). */
  maxHz: number;
  /** dB range the colours span, relative to the loudest bin. */
  floorDb: number;
}

/**
 * Short-time Fourier magnitude in dB (Hann window, about 21 ms at any rate, up to `maxColumns`
 * columns across the clip), normalised to the loudest bin with a 70 dB range, as a PNG with
 * low frequencies at the bottom.
 */
export function spectrogram(samples: Float32Array, sampleRate: number, maxColumns = 600): Spectrogram {
  let size = 64;
  while (size * 2 <= sampleRate * 0.021) size *= 2;
  const bins = size / 2;
  const hop = Math.max(1, Math.ceil(Math.max(1, samples.length - size) / maxColumns));
  const columns = Math.max(1, Math.floor(Math.max(0, samples.length - size) / hop) + 1);
  const window = Float64Array.from({ length: size }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (size - 1)));
  const db = new Float32Array(columns * bins);
  const re = new Float64Array(size),
    im = new Float64Array(size);
  let max = -Infinity;
  for (let c = 0; c < columns; c++) {
    const at = c * hop;
    for (let i = 0; i < size; i++) {
      re[i] = (samples[at + i] ?? 0) * window[i]!;
      im[i] = 0;
    }
    fft(re, im);
    for (let k = 0; k < bins; k++) {
      const v = 10 * Math.log10(re[k]! * re[k]! + im[k]! * im[k]! + 1e-20);
      db[c * bins + k] = v;
      if (v > max) max = v;
    }
  }
  const floorDb = 70;
  const rgb = new Uint8Array(columns * bins * 3);
  for (let y = 0; y < bins; y++) {
    const k = bins - 1 - y;
    for (let c = 0; c < columns; c++) {
      const [r, g, b] = viridis((db[c * bins + k]! - (max - floorDb)) / floorDb);
      const o = (y * columns + c) * 3;
      rgb[o] = r;
      rgb[o + 1] = g;
      rgb[o + 2] = b;
    }
  }
  return { png: encodePng(columns, bins, rgb), width: columns, height: bins, maxHz: sampleRate / 2, floorDb };
}
