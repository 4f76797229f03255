/** Recordings for the labelling view's tests and screenshot: impulsive pulses at known samples in light noise. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeWav } from '../../src/audio/wav.ts';
import { prng } from './dataset.ts';

export interface PulseFile {
  /** Path below the imported folder. */
  path: string;
  sampleRate: number;
  frames: number;
  /** First sample of each pulse, in order. */
  pulses: number[];
}

/**
 * A muzzle-blast-like pulse: full height on its first sample (a shock front), then a 900 Hz ring
 * dying away in a few milliseconds, so its onset is one exact sample.
 */
export function pulseSamples(sampleRate: number, frames: number, pulses: readonly number[], seed: number): Float32Array {
  const rand = prng(seed);
  const x = new Float32Array(frames);
  for (let i = 0; i < frames; i++) x[i] = 0.004 * (rand() - 0.5);
  const tau = sampleRate * 0.003;
  for (const p of pulses) {
    const amplitude = 0.5 + 0.4 * rand();
    for (let i = 0; p + i < frames && i < sampleRate * 0.04; i++) x[p + i]! += amplitude * Math.exp(-i / tau) * Math.cos((2 * Math.PI * 900 * i) / sampleRate);
  }
  return x;
}

/**
 * `files` WAVs of `perFile` pulses each, written under `root` in two site folders: pulses at
 * irregular, well separated samples (at least 90 ms apart, none in the first or last 50 ms).
 */
export function writePulseFolder(root: string, o: { files: number; perFile: number; sampleRate?: number; seconds?: number; seed?: number }): PulseFile[] {
  const sampleRate = o.sampleRate ?? 16000;
  const frames = Math.round(sampleRate * (o.seconds ?? 2));
  const rand = prng(o.seed ?? 11);
  const out: PulseFile[] = [];
  for (let f = 0; f < o.files; f++) {
    const slot = Math.floor((frames - sampleRate * 0.1) / o.perFile);
    const pulses = Array.from({ length: o.perFile }, (_, i) => Math.round(sampleRate * 0.05 + i * slot + rand() * (slot - sampleRate * 0.09)));
    const path = `site-${f % 2 === 0 ? 'north' : 'south'}/rec-${String(f + 1).padStart(2, '0')}.wav`;
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, encodeWav([pulseSamples(sampleRate, frames, pulses, 100 + f)], { format: 'pcm16', sampleRate }));
    out.push({ path, sampleRate, frames, pulses });
  }
  return out;
}
