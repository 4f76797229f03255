import { inflateSync, crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fft } from '../../../src/audit/report/fft.ts';
import { encodePng } from '../../../src/audit/report/png.ts';
import { spectrogram } from '../../../src/audit/report/spectrogram.ts';
import { esc, niceStep } from '../../../src/audit/report/svg.ts';

describe('report building blocks', () => {
  it('FFT matches a direct DFT', () => {
    const n = 64;
    const x = Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) + 0.3 * Math.cos(i * 2.1) + (i % 5) * 0.01);
    const re = Float64Array.from(x),
      im = new Float64Array(n);
    fft(re, im);
    for (let k = 0; k < n; k++) {
      let r = 0,
        m = 0;
      for (let t = 0; t < n; t++) {
        r += x[t]! * Math.cos((-2 * Math.PI * k * t) / n);
        m += x[t]! * Math.sin((-2 * Math.PI * k * t) / n);
      }
      expect(re[k]).toBeCloseTo(r, 9);
      expect(im[k]).toBeCloseTo(m, 9);
    }
    expect(() => fft(new Float64Array(6), new Float64Array(6))).toThrow(/power of two/);
  });

  it('writes a valid PNG: signature, chunk CRCs, and the pixels back after inflate', () => {
    const rgb = Uint8Array.from({ length: 3 * 2 * 3 }, (_, i) => i * 10);
    const png = encodePng(3, 2, rgb);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    let at = 8;
    const chunks: Record<string, Buffer> = {};
    while (at < png.length) {
      const len = png.readUInt32BE(at);
      const type = png.toString('ascii', at + 4, at + 8);
      const data = png.subarray(at + 8, at + 8 + len);
      expect(png.readUInt32BE(at + 8 + len)).toBe(crc32(png.subarray(at + 4, at + 8 + len)) >>> 0);
      chunks[type] = data;
      at += 12 + len;
    }
    expect(Object.keys(chunks)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const raw = inflateSync(chunks.IDAT!);
    expect([...raw.subarray(1, 10)]).toEqual([...rgb.subarray(0, 9)]);
    expect(() => encodePng(3, 2, new Uint8Array(5))).toThrow(/expected 18/);
  });

  it('puts a tone in the right spectrogram row', () => {
    const sr = 8000,
      f0 = 1000;
    const s = spectrogram(
      Float32Array.from({ length: sr }, (_, i) => Math.sin((2 * Math.PI * f0 * i) / sr)),
      sr,
      100,
    );
    expect(s.maxHz).toBe(4000);
    expect(s.width).toBeLessThanOrEqual(101);
    expect(s.height).toBe(64); // 128-point frames at 8 kHz (16 ms)
  });

  it('escapes markup and picks round scale steps', () => {
    expect(esc('<img src=x onerror="a">&\'')).toBe('&lt;img src=x onerror=&quot;a&quot;&gt;&amp;&#39;');
    expect([niceStep(0.17), niceStep(37), niceStep(999), niceStep(0)]).toEqual([0.1, 20, 500, 1]);
  });
});
