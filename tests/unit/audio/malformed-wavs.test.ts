import { describe, expect, it } from 'vitest';
import { decodeChannel, parseWav, WavError } from '../../../src/audio/wav.ts';
import { malformedWavs } from '../../support/malformed-wavs.ts';

const corpus = malformedWavs();

describe('the malformed WAV corpus', () => {
  it('holds at least 50 distinct cases', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(50);
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
  });

  it.each(corpus.map((c) => [c.name, c] as const))('refuses %s with a clear WavError', (_name, c) => {
    let error: unknown;
    try {
      decodeChannel(c.bytes, parseWav(c.bytes), c.channel ?? 0);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WavError);
    const message = (error as WavError).message;
    expect(message).toMatch(c.expected);
    // Clear means a sentence a person can act on, not a stack or a byte dump.
    expect(message.length).toBeGreaterThan(10);
    expect(message.length).toBeLessThan(200);
    expect(message).not.toMatch(/undefined|\[object|at Object|RangeError/);
  });
});
