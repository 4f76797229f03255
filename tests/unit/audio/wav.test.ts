import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeChannel, encodeWav, parseWav, WavError, type SampleFormat } from '../../../src/audio/wav.ts';
import { describeIfSharedData, SHARED_DATA } from '../../support/shared-data.ts';
import { ascii, chunk, f32, f64, fmtBody, fmtExtensibleBody, GUID_FLOAT, GUID_PCM, i16, riff } from '../../support/riff.ts';

const read = (bytes: Uint8Array, channel = 0) => Array.from(decodeChannel(bytes, parseWav(bytes), channel));
const fr = (values: number[]) => values.map((v) => Math.fround(v));

describe('parseWav + decodeChannel on files assembled byte by byte', () => {
  it('reads 8-bit PCM (unsigned, 128 is silence)', () => {
    const file = riff([chunk('fmt ', fmtBody({ channels: 1, sampleRate: 8000, bits: 8 })), chunk('data', [0x00, 0x80, 0xff, 0x40, 0xc0, 0x81])]);
    const info = parseWav(file);
    expect(info).toMatchObject({ format: 'pcm8', channels: 1, sampleRate: 8000, bitsPerSample: 8, blockAlign: 1, frames: 6, extensible: false });
    expect(read(file)).toEqual(fr([-1, 0, 127 / 128, -0.5, 0.5, 1 / 128]));
  });

  it('reads 16-bit PCM', () => {
    const data = [0x00, 0x80, 0x00, 0x00, 0xff, 0x7f, 0x00, 0xc0, 0x00, 0x40, 0xff, 0xff, 0x01, 0x00];
    const file = riff([chunk('fmt ', fmtBody({ channels: 1, sampleRate: 16000, bits: 16 })), chunk('data', data)]);
    expect(parseWav(file)).toMatchObject({ format: 'pcm16', frames: 7, durationS: 7 / 16000 });
    expect(read(file)).toEqual(fr([-1, 0, 32767 / 32768, -0.5, 0.5, -1 / 32768, 1 / 32768]));
  });

  it('reads 24-bit PCM with sign extension', () => {
    const data = [0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0xff, 0xff, 0x7f, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x40, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00];
    const file = riff([chunk('fmt ', fmtBody({ channels: 1, sampleRate: 48000, bits: 24 })), chunk('data', data)]);
    expect(parseWav(file)).toMatchObject({ format: 'pcm24', blockAlign: 3, frames: 7 });
    expect(read(file)).toEqual(fr([-1, 0, 8388607 / 8388608, -0.5, 0.5, -1 / 8388608, 1 / 8388608]));
  });

  it('reads 32-bit PCM', () => {
    const data = [0, 0, 0, 0x80, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0xc0, 0, 0, 0, 0x40, 0x00, 0x00, 0x01, 0x00];
    const file = riff([chunk('fmt ', fmtBody({ channels: 1, sampleRate: 96000, bits: 32 })), chunk('data', data)]);
    expect(parseWav(file)).toMatchObject({ format: 'pcm32', blockAlign: 4, frames: 6 });
    expect(read(file)).toEqual(fr([-1, 0, 2147483647 / 2147483648, -0.5, 0.5, 65536 / 2147483648]));
  });

  it('reads 32-bit float, headroom above full scale included', () => {
    const data = [0, 0, 0, 0x3f, 0, 0, 0x80, 0xbe, 0, 0, 0x80, 0x3f, 0, 0, 0x80, 0xbf, 0, 0, 0, 0, 0, 0, 0xc0, 0x3f];
    const file = riff([chunk('fmt ', fmtBody({ tag: 3, channels: 1, sampleRate: 44100, bits: 32 })), chunk('data', data)]);
    expect(parseWav(file)).toMatchObject({ format: 'float32', frames: 6 });
    expect(read(file)).toEqual([0.5, -0.25, 1, -1, 0, 1.5]);
  });

  it('reads 64-bit float', () => {
    const data = [0, 0, 0, 0, 0, 0, 0xe0, 0x3f, 0, 0, 0, 0, 0, 0, 0xd0, 0xbf, ...f64(0.1, -1)];
    const file = riff([chunk('fmt ', fmtBody({ tag: 3, channels: 1, sampleRate: 22050, bits: 64 })), chunk('data', data)]);
    expect(parseWav(file)).toMatchObject({ format: 'float64', blockAlign: 8, frames: 4 });
    expect(read(file)).toEqual(fr([0.5, -0.25, 0.1, -1]));
  });

  it('reads WAVE_FORMAT_EXTENSIBLE PCM (stereo 16-bit, channel selected)', () => {
    const file = riff([
      chunk('fmt ', fmtExtensibleBody({ channels: 2, sampleRate: 48000, bits: 16, channelMask: 3, guid: GUID_PCM })),
      chunk('data', i16(-32768, 16384, 0, -16384, 32767, 1)),
    ]);
    expect(parseWav(file)).toMatchObject({ format: 'pcm16', extensible: true, channels: 2, frames: 3 });
    expect(read(file, 0)).toEqual(fr([-1, 0, 32767 / 32768]));
    expect(read(file, 1)).toEqual(fr([0.5, -0.5, 1 / 32768]));
  });

  it('reads WAVE_FORMAT_EXTENSIBLE PCM with 24 valid bits in a 32-bit container', () => {
    const file = riff([
      chunk('fmt ', fmtExtensibleBody({ channels: 1, sampleRate: 96000, bits: 32, validBits: 24, guid: GUID_PCM })),
      chunk('data', [0, 0, 0, 0x80, 0, 0x01, 0, 0, 0, 0, 0, 0x40]),
    ]);
    expect(parseWav(file)).toMatchObject({ format: 'pcm32', extensible: true });
    expect(read(file)).toEqual(fr([-1, 256 / 2147483648, 0.5]));
  });

  it('reads WAVE_FORMAT_EXTENSIBLE 24-bit PCM with 20 valid bits', () => {
    const file = riff([
      chunk('fmt ', fmtExtensibleBody({ channels: 1, sampleRate: 48000, bits: 24, validBits: 20, guid: GUID_PCM })),
      chunk('data', [0x00, 0x00, 0x80, 0x10, 0x00, 0x00]),
    ]);
    expect(read(file)).toEqual(fr([-1, 16 / 8388608]));
  });

  it('reads WAVE_FORMAT_EXTENSIBLE float (32 and 64 bit)', () => {
    const a = riff([chunk('fmt ', fmtExtensibleBody({ channels: 1, sampleRate: 192000, bits: 32, guid: GUID_FLOAT })), chunk('data', f32(0.25, -0.75))]);
    expect(parseWav(a)).toMatchObject({ format: 'float32', extensible: true, sampleRate: 192000 });
    expect(read(a)).toEqual([0.25, -0.75]);
    const b = riff([chunk('fmt ', fmtExtensibleBody({ channels: 2, sampleRate: 8000, bits: 64, guid: GUID_FLOAT })), chunk('data', f64(0.125, -0.5, 0.75, 1))]);
    expect(parseWav(b)).toMatchObject({ format: 'float64', extensible: true, channels: 2, frames: 2 });
    expect(read(b, 0)).toEqual([0.125, 0.75]);
    expect(read(b, 1)).toEqual([-0.5, 1]);
  });

  it('reads an 18-byte fmt chunk (WAVEFORMATEX with cbSize 0)', () => {
    const file = riff([chunk('fmt ', [...fmtBody({ channels: 1, sampleRate: 16000, bits: 16 }), 0, 0]), chunk('data', i16(100, -100))]);
    expect(read(file)).toEqual(fr([100 / 32768, -100 / 32768]));
  });

  for (let channels = 1; channels <= 8; channels++) {
    it(`selects each of ${channels} interleaved channels`, () => {
      const frames = 5;
      const value = (c: number, i: number) => (c + 1) * 1000 + i * (c % 2 ? -1 : 1);
      const interleaved: number[] = [];
      for (let i = 0; i < frames; i++) for (let c = 0; c < channels; c++) interleaved.push(value(c, i));
      const file = riff([chunk('fmt ', fmtBody({ channels, sampleRate: 16000, bits: 16 })), chunk('data', i16(...interleaved))]);
      expect(parseWav(file)).toMatchObject({ channels, frames, blockAlign: 2 * channels });
      for (let c = 0; c < channels; c++) expect(read(file, c)).toEqual(fr(Array.from({ length: frames }, (_, i) => value(c, i) / 32768)));
      expect(() => decodeChannel(file, parseWav(file), channels)).toThrow(new RegExp(`channel ${channels} does not exist \\(the file has ${channels}\\)`));
    });
  }

  it('refuses a channel that is negative or not an integer', () => {
    const file = riff([chunk('fmt ', fmtBody({ channels: 2, sampleRate: 16000, bits: 16 })), chunk('data', i16(1, 2))]);
    expect(() => decodeChannel(file, parseWav(file), -1)).toThrow(WavError);
    expect(() => decodeChannel(file, parseWav(file), 0.5)).toThrow(/channel 0.5 does not exist/);
  });

  it.each([8000, 11025, 12000, 16000, 22050, 32000, 44100, 48000, 88200, 96000, 176400, 192000])('reads a sample rate of %i Hz', (rate) => {
    const file = riff([chunk('fmt ', fmtBody({ channels: 1, sampleRate: rate, bits: 16 })), chunk('data', i16(1, 2, 3, 4))]);
    expect(parseWav(file)).toMatchObject({ sampleRate: rate, frames: 4, durationS: 4 / rate });
  });

  it.each([7999, 192001])('refuses a sample rate of %i Hz', (rate) => {
    const file = riff([chunk('fmt ', fmtBody({ channels: 1, sampleRate: rate, bits: 16 })), chunk('data', i16(1, 2))]);
    expect(() => parseWav(file)).toThrow(new RegExp(`sample rate ${rate} Hz is outside 8000-192000 Hz`));
  });
});

describe('chunk layout', () => {
  const fmt = chunk('fmt ', fmtBody({ channels: 1, sampleRate: 16000, bits: 16 }));

  it('skips LIST and other chunks before fmt, between fmt and data, and after data, and lists them with offsets', () => {
    const list = chunk('LIST', [...ascii('INFOINAM'), ...[6, 0, 0, 0], ...ascii('shot\0\0')]);
    const file = riff([list, fmt, chunk('fact', [...[3, 0, 0, 0]]), chunk('data', i16(7, -7, 9)), chunk('id3 ', [1, 2, 3, 4]), chunk('smj0', [9])]);
    const info = parseWav(file);
    expect(info.chunks.map((c) => c.id)).toEqual(['LIST', 'fmt ', 'fact', 'data', 'id3 ', 'smj0']);
    for (const c of info.chunks) expect(file.toString('latin1', c.offset - 8, c.offset - 4)).toBe(c.id);
    expect(info.chunks.at(-1)).toMatchObject({ size: 1 });
    expect(read(file)).toEqual(fr([7 / 32768, -7 / 32768, 9 / 32768]));
  });

  it('honours the pad byte after odd-sized chunks before and after the data', () => {
    const odd = chunk('junk', [1, 2, 3]); // 3 bytes + pad
    expect(odd).toHaveLength(12);
    const file = riff([odd, fmt, chunk('bext', [0x41]), chunk('data', i16(5, 6)), chunk('note', [1, 2, 3, 4, 5])]);
    const info = parseWav(file);
    expect(info.chunks.map((c) => [c.id, c.size])).toEqual([
      ['junk', 3],
      ['fmt ', 16],
      ['bext', 1],
      ['data', 4],
      ['note', 5],
    ]);
    expect(read(file)).toEqual(fr([5 / 32768, 6 / 32768]));
  });

  it('reads an odd-sized 8-bit data chunk followed by its pad byte and another chunk', () => {
    const file = riff([chunk('fmt ', fmtBody({ channels: 1, sampleRate: 8000, bits: 8 })), chunk('data', [0, 128, 255]), chunk('LIST', ascii('INFO'))]);
    const info = parseWav(file);
    expect(info.frames).toBe(3);
    expect(info.chunks.at(-1)!.id).toBe('LIST');
    expect(read(file)).toEqual(fr([-1, 0, 127 / 128]));
  });

  it('accepts a last odd-sized chunk whose pad byte the writer left out', () => {
    const file = riff([fmt, chunk('data', i16(1, 2)), chunk('smj0', [1, 2, 3], { pad: false })]);
    expect(file.readUInt32LE(4) % 2).toBe(1);
    expect(parseWav(file).chunks.at(-1)).toMatchObject({ id: 'smj0', size: 3 });
  });

  it('accepts the pad byte after a RIFF chunk whose size does not count it', () => {
    const body = [...fmt, ...chunk('data', i16(1, 2)), ...chunk('smj0', [1, 2, 3], { pad: false })];
    const file = riff([body, [0]], { size: 4 + body.length });
    expect(parseWav(file).frames).toBe(2);
  });
});

describe('encodeWav', () => {
  it('writes exactly the bytes of a hand-assembled file', () => {
    const samples = Float32Array.from([-1, 0, 0.5, 32767 / 32768]);
    const expected = riff([chunk('fmt ', fmtBody({ channels: 1, sampleRate: 16000, bits: 16 })), chunk('data', i16(-32768, 0, 16384, 32767))]);
    expect(encodeWav([samples], { format: 'pcm16', sampleRate: 16000 }).equals(expected)).toBe(true);
  });

  it('writes the extensible header byte by byte', () => {
    const enc = encodeWav([Float32Array.from([0.25])], { format: 'float32', sampleRate: 48000, extensible: true });
    const expected = riff([
      chunk('fmt ', fmtExtensibleBody({ channels: 1, sampleRate: 48000, bits: 32, channelMask: 4, guid: GUID_FLOAT })),
      chunk('data', f32(0.25)),
    ]);
    expect(enc.equals(expected)).toBe(true);
  });

  const formats: [SampleFormat, number][] = [
    ['pcm8', 1 / 128],
    ['pcm16', 1 / 32768],
    ['pcm24', 1 / 8388608],
    ['pcm32', 1e-7],
    ['float32', 0],
    ['float64', 0],
  ];
  for (const [format, lsb] of formats) {
    for (const extensible of [false, true]) {
      it(`round-trips ${format}${extensible ? ' (extensible)' : ''} on 1-8 channels to within one step`, () => {
        for (let n = 1; n <= 8; n++) {
          const chans = Array.from({ length: n }, (_, c) => Float32Array.from({ length: 97 }, (_, i) => Math.sin(i * 0.3 + c) * 0.9));
          const bytes = encodeWav(chans, { format, sampleRate: 8000 * n, extensible, extraChunks: [{ id: 'smj0', body: Uint8Array.from([1, 2, 3]) }] });
          const info = parseWav(bytes);
          expect(info).toMatchObject({ format, channels: n, frames: 97, extensible, sampleRate: 8000 * n });
          for (let c = 0; c < n; c++) {
            const back = decodeChannel(bytes, info, c);
            for (let i = 0; i < 97; i++) expect(Math.abs(back[i]! - chans[c]![i]!)).toBeLessThanOrEqual(lsb / 2 + 1e-7);
          }
        }
      });
    }
  }
});

describeIfSharedData('the real recordings in ../shared/data', () => {
  /** An independent reading: the 16-bit samples after the 'data' header, found by searching the bytes. */
  function independent16(file: Buffer): { at: number; n: number } {
    const at = file.indexOf('data', 12, 'latin1');
    return { at: at + 8, n: file.readUInt32LE(at + 4) / 2 };
  }

  it('reads the four Chicago sensor files (12 kHz, 16-bit, 2 s, smj0 chunk after the data)', () => {
    const dir = join(SHARED_DATA, 'shotspotter-wav/chicago-incident-556267');
    const files = readdirSync(dir).filter((f) => f.endsWith('.wav'));
    expect(files).toHaveLength(4);
    for (const f of files) {
      const bytes = readFileSync(join(dir, f));
      const info = parseWav(bytes);
      expect(info).toMatchObject({ format: 'pcm16', sampleRate: 12000, channels: 1, frames: 24000, durationS: 2, extensible: false });
      expect(info.chunks.map((c) => c.id)).toEqual(['fmt ', 'data', 'smj0']);
      const samples = decodeChannel(bytes, info);
      const { at, n } = independent16(bytes);
      expect(n).toBe(24000);
      for (let i = 0; i < n; i += 97) expect(samples[i]).toBe(bytes.readInt16LE(at + 2 * i) / 32768);
    }
    // The first two samples of one file, as xxd shows them: e3fd fffd.
    const one = readFileSync(join(dir, '113adf3a6e35e664e5f2db656b030a831c8b7f11.wav'));
    expect(Array.from(decodeChannel(one, parseWav(one)).subarray(0, 2))).toEqual([-541 / 32768, -513 / 32768]);
  });

  it('reads every Pittsburgh WAV (12 kHz, 16-bit, mono, 10 s)', () => {
    const root = join(SHARED_DATA, 'pittsburgh-2018/dev');
    let count = 0;
    for (const fp of readdirSync(root)) {
      for (const test of readdirSync(join(root, fp))) {
        for (const f of readdirSync(join(root, fp, test)).filter((x) => x.endsWith('.wav'))) {
          const bytes = readFileSync(join(root, fp, test, f));
          const info = parseWav(bytes);
          expect(info).toMatchObject({ format: 'pcm16', sampleRate: 12000, channels: 1 });
          expect(info.durationS).toBeCloseTo(10, 1);
          const samples = decodeChannel(bytes, info);
          const { at } = independent16(bytes);
          expect(samples[info.frames - 1]).toBe(bytes.readInt16LE(at + 2 * (info.frames - 1)) / 32768);
          count++;
        }
      }
    }
    expect(count).toBeGreaterThanOrEqual(200);
  });
});
