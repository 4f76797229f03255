import { describe, expect, it } from 'vitest';
import { decodeChannel, encodeWav, parseWav, type SampleFormat } from '../../../src/audio/wav.ts';
import { computePeaks } from '../../../src/audio/peaks.ts';
import { channelPeaks } from '../../../src/dataset/peaks.ts';
import { cutChannel } from '../../../src/dataset/wav-cut.ts';
import { makeWav, prng } from '../../support/dataset.ts';

const FORMATS: SampleFormat[] = ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32', 'float64'];

describe('cutting one channel', () => {
  it.each(FORMATS)('%s: the cut holds exactly the source samples of [start, end) of that channel, bytes included', (format) => {
    const rand = prng(9);
    const src = makeWav({ format, channels: 3, frames: 1001, sampleRate: 22050, seed: 4 });
    const info = parseWav(src);
    for (let k = 0; k < 25; k++) {
      const channel = Math.floor(rand() * 3);
      const start = Math.floor(rand() * 1000);
      const end = start + 1 + Math.floor(rand() * (1001 - start - 1));
      const cut = cutChannel(src, info, channel, start, end);
      const cutInfo = parseWav(cut);
      expect(cutInfo).toMatchObject({ format, channels: 1, sampleRate: 22050, frames: end - start });
      expect(Array.from(decodeChannel(cut, cutInfo, 0))).toEqual(Array.from(decodeChannel(src, info, channel).subarray(start, end)));
      const width = info.bitsPerSample / 8;
      const firstSourceSample = src.subarray(
        info.dataOffset + start * info.blockAlign + channel * width,
        info.dataOffset + start * info.blockAlign + (channel + 1) * width,
      );
      expect(cut.subarray(cutInfo.dataOffset, cutInfo.dataOffset + width)).toEqual(firstSourceSample);
    }
  });

  it('pads an odd data chunk so the result is a valid RIFF file', () => {
    const src = makeWav({ format: 'pcm8', frames: 100 });
    const cut = cutChannel(src, parseWav(src), 0, 10, 13);
    expect(cut.byteLength % 2).toBe(0);
    expect(parseWav(cut).frames).toBe(3);
  });

  it('refuses ranges outside the clip', () => {
    const src = makeWav({ frames: 100 });
    const info = parseWav(src);
    expect(() => cutChannel(src, info, 0, 50, 101)).toThrow(RangeError);
    expect(() => cutChannel(src, info, 1, 0, 10)).toThrow(RangeError);
    expect(() => cutChannel(src, info, 0, 10, 10)).toThrow(RangeError);
  });
});

describe('streamed peaks', () => {
  it.each([
    [1, 8000],
    [7, 8000],
    [16000 * 3 + 17, 16000],
    [2_500_000, 8000],
  ])('equal computePeaks over the whole channel (%i frames at %i Hz)', (frames, sr) => {
    const rand = prng(frames);
    const ch = new Float32Array(frames).map(() => (rand() - 0.5) * 2.2);
    const bytes = encodeWav([ch, ch.map((v) => -v)], { format: 'float32', sampleRate: sr });
    const info = parseWav(bytes);
    for (const c of [0, 1]) {
      const expected = computePeaks(decodeChannel(bytes, info, c), sr);
      const got = channelPeaks(bytes, info, c);
      expect(got.peaksPerSecond).toBeCloseTo(expected.peaksPerSecond, 9);
      expect(Array.from(got.data)).toEqual(Array.from(expected.data));
    }
  });
});
