import { z } from 'zod';

/**
 * Waveform peaks on the wire: interleaved (max, min) pairs in [-1, 1] as little-endian signed
 * 16-bit integers (value x 32767), base64. As JSON numbers the six tracks of a 4 s alert were
 * 350 kB that the core rounded, checked number by number against the schema and serialised,
 * and the seat parsed back: about 100 ms on a loaded machine before the first waveform could be
 * drawn. As 16-bit samples they are 128 kB of one string, checked as one: the resolution of a
 * 16-bit recording, so only a track quieter than about -90 dBFS would draw flat. Written here,
 * without Buffer or atob, so the core and the seat share one definition.
 */
export const PEAK_SCALE = 32767;

/** At most 32,768 pairs per track (MAX_PEAK_PAIRS in src/audio/peaks.ts), 2 values of 2 bytes each, base64. */
export const MAX_ENCODED_PEAKS_LENGTH = Math.ceil((32_768 * 2 * 2) / 3) * 4;
export const EncodedPeaks = z
  .string()
  .max(MAX_ENCODED_PEAKS_LENGTH)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'peaks must be base64')
  .describe('Interleaved (max, min) pairs in [-1, 1] as little-endian signed 16-bit integers (value x 32767), base64.');

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE_OF = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE_OF[ALPHABET.charCodeAt(i)] = i;

/** Peaks in [-1, 1] (values outside are clamped) to the wire form. */
export function encodePeaks(peaks: ArrayLike<number>): string {
  const bytes = new Uint8Array(peaks.length * 2);
  for (let i = 0; i < peaks.length; i++) {
    const v = Math.round(Math.max(-1, Math.min(1, peaks[i]! || 0)) * PEAK_SCALE);
    bytes[2 * i] = v & 0xff;
    bytes[2 * i + 1] = (v >> 8) & 0xff;
  }
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? ALPHABET[n & 63]! : '=';
  }
  return out;
}

/** The wire form back to peaks in [-1, 1]; throws on anything that is not whole 16-bit samples in base64. */
export function decodePeaks(encoded: string): Float32Array {
  if (encoded.length % 4 !== 0) throw new Error('peaks: base64 length is not a multiple of 4');
  const padding = encoded.endsWith('==') ? 2 : encoded.endsWith('=') ? 1 : 0;
  const byteLength = (encoded.length / 4) * 3 - padding;
  if (byteLength % 2 !== 0) throw new Error('peaks: an odd number of bytes is not 16-bit samples');
  const bytes = new Uint8Array(byteLength);
  let b = 0;
  for (let i = 0; i < encoded.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = encoded.charCodeAt(i + k);
      // '=' only as the padding at the very end.
      const v = c === 61 ? (i + k >= encoded.length - padding ? 0 : -1) : c < 128 ? VALUE_OF[c]! : -1;
      if (v < 0) throw new Error('peaks: not base64');
      n = (n << 6) | v;
    }
    if (b < byteLength) bytes[b++] = (n >> 16) & 0xff;
    if (b < byteLength) bytes[b++] = (n >> 8) & 0xff;
    if (b < byteLength) bytes[b++] = n & 0xff;
  }
  const out = new Float32Array(byteLength / 2);
  for (let i = 0; i < out.length; i++) {
    const u = bytes[2 * i]! | (bytes[2 * i + 1]! << 8);
    out[i] = (u >= 0x8000 ? u - 0x10000 : u) / PEAK_SCALE;
  }
  return out;
}
