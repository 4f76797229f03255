import { describe, expect, it } from 'vitest';
import { readSmj, SmjError } from '../../../src/audio/smj.ts';
import { decodeChannel, encodeWav, parseWav, WavError } from '../../../src/audio/wav.ts';
import { ascii, chunk, fmtBody, i16, prng, riff } from '../../support/riff.ts';
import { smjBody, smjDoc, smjWav } from '../../support/smj.ts';

/**
 * Deterministic mutation testing: valid files truncated, bit-flipped and with their size fields
 * rewritten. Whatever the damage, the reader either reads the file (finite samples) or refuses
 * it with a WavError / SmjError; it never throws anything else and never takes long.
 */
const SEED = 20181218;
const CASES = 2000;

function seeds(): { name: string; bytes: Buffer }[] {
  const tone = (n: number, k = 1) => Float32Array.from({ length: n }, (_, i) => 0.8 * Math.sin(i * 0.05 * k));
  return [
    { name: 'pcm16 mono', bytes: encodeWav([tone(300)], { format: 'pcm16', sampleRate: 16000 }) },
    { name: 'pcm8 stereo', bytes: encodeWav([tone(201), tone(201, 2)], { format: 'pcm8', sampleRate: 8000 }) },
    { name: 'pcm24 3 channels', bytes: encodeWav([tone(150), tone(150, 2), tone(150, 3)], { format: 'pcm24', sampleRate: 48000 }) },
    { name: 'pcm32 extensible', bytes: encodeWav([tone(120)], { format: 'pcm32', sampleRate: 96000, extensible: true }) },
    { name: 'float32 extensible stereo', bytes: encodeWav([tone(100), tone(100, 3)], { format: 'float32', sampleRate: 44100, extensible: true }) },
    { name: 'float64', bytes: encodeWav([tone(80)], { format: 'float64', sampleRate: 192000 }) },
    {
      name: 'LIST and odd chunks around the data',
      bytes: riff([
        chunk('LIST', [...ascii('INFOINAM'), 3, 0, 0, 0, ...ascii('ab\0')]),
        chunk('fmt ', fmtBody({ channels: 1, sampleRate: 22050, bits: 16 })),
        chunk('junk', [1, 2, 3]),
        chunk('data', i16(...Array.from({ length: 90 }, (_, i) => i * 300 - 13000))),
        chunk('note', [7]),
      ]),
    },
    { name: 'sensor file with an smj0 chunk', bytes: smjWav(tone(400), 12000, [{ body: smjBody(smjDoc({ duration: 400 / 12000 })) }]) },
  ];
}

/** Offsets of every size field in a file: the RIFF size and each chunk's size. */
function sizeFields(b: Buffer): number[] {
  const out = [4];
  let at = 12;
  while (at + 8 <= b.length) {
    out.push(at + 4);
    const size = b.readUInt32LE(at + 4);
    at += 8 + size + (size & 1);
  }
  return out;
}

function mutate(b: Buffer, r: () => number): { kind: string; bytes: Buffer } {
  const pick = (n: number) => Math.floor(r() * n);
  const kind = pick(6);
  if (kind === 0) return { kind: 'truncate', bytes: b.subarray(0, pick(b.length)) };
  const c = Buffer.from(b);
  if (kind === 1) {
    for (let i = 0, n = 1 + pick(8); i < n; i++) c[pick(c.length)]! ^= 1 << pick(8);
    return { kind: 'bit flips', bytes: c };
  }
  if (kind === 2) {
    for (let i = 0, n = 1 + pick(4); i < n; i++) c[pick(Math.min(c.length, 80))]! ^= 1 << pick(8); // the headers
    return { kind: 'header bit flips', bytes: c };
  }
  if (kind === 3) {
    const fields = sizeFields(b);
    const at = fields[pick(fields.length)]!;
    const old = c.readUInt32LE(at);
    const choices = [0, 1, old - 1, old + 1, old + 2, old * 2, Math.floor(old / 2), 0x7fffffff, 0xffffffff, 0xfffffff8, pick(2 ** 32)];
    c.writeUInt32LE(choices[pick(choices.length)]! >>> 0, at);
    return { kind: 'size rewrite', bytes: c };
  }
  if (kind === 4) {
    const at = pick(c.length);
    return { kind: 'byte inserted', bytes: Buffer.concat([c.subarray(0, at), Buffer.from([pick(256)]), c.subarray(at)]) };
  }
  const from = pick(c.length);
  return { kind: 'bytes deleted', bytes: Buffer.concat([c.subarray(0, from), c.subarray(from + 1 + pick(16))]) };
}

describe(`mutations of valid files (seed ${SEED}, ${CASES} cases)`, () => {
  it('read or refused with a WavError/SmjError, never anything else, never slow', () => {
    const r = prng(SEED);
    const base = seeds();
    for (const s of base) {
      const info = parseWav(s.bytes); // every seed is valid to begin with
      for (let ch = 0; ch < info.channels; ch++) decodeChannel(s.bytes, info, ch);
    }
    const tally: Record<string, number> = { read: 0, refused: 0, smjRead: 0, smjRefused: 0 };
    let slowest = 0;
    for (let n = 0; n < CASES; n++) {
      const s = base[n % base.length]!;
      const m = mutate(s.bytes, r);
      const t0 = performance.now();
      try {
        const info = parseWav(m.bytes);
        for (let ch = 0; ch < info.channels; ch++) {
          const samples = decodeChannel(m.bytes, info, ch);
          for (const v of samples) if (!Number.isFinite(v)) throw new Error(`case ${n} (${s.name}, ${m.kind}): a non-finite sample was passed on`);
        }
        tally.read!++;
        try {
          readSmj(m.bytes, info);
          tally.smjRead!++;
        } catch (e) {
          if (!(e instanceof SmjError))
            throw new Error(`case ${n} (${s.name}, ${m.kind}): readSmj threw ${(e as Error).name}: ${(e as Error).message}`, { cause: e });
          tally.smjRefused!++;
        }
      } catch (e) {
        if (!(e instanceof WavError)) {
          if ((e as Error).message.startsWith('case ')) throw e;
          throw new Error(`case ${n} (${s.name}, ${m.kind}): threw ${(e as Error).name}: ${(e as Error).message}`, { cause: e });
        }
        expect(e.message.length).toBeGreaterThan(5);
        tally.refused!++;
      }
      slowest = Math.max(slowest, performance.now() - t0);
    }
    console.log(`mutation test: ${JSON.stringify(tally)}, slowest case ${slowest.toFixed(2)} ms`);
    // Both outcomes occur (bit flips inside samples leave readable files), so the test exercises both paths.
    expect(tally.read).toBeGreaterThan(100);
    expect(tally.refused).toBeGreaterThan(500);
    expect(slowest).toBeLessThan(250);
  });
});
