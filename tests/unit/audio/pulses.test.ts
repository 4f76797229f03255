import { describe, expect, it } from 'vitest';
import { pickPulses } from '../../../src/audio/pulses/pick.ts';
import { arrivalS, crackDelayS, gunfireAudio, type GunfireScene } from '../../support/gunfire.ts';

const ONE: GunfireScene = { sensors: [{ id: 'A', x: 0, y: 0 }], shots: [{ x: 250, y: 0, tS: 1 }] };

describe('pickPulses', () => {
  it('times a muzzle blast in noise to a small fraction of a millisecond, at 8, 12, 48 and 96 kHz', () => {
    for (const sampleRate of [8000, 12000, 48000, 96000]) {
      const [a] = gunfireAudio({ ...ONE, sampleRate });
      const picks = pickPulses(a!.samples, sampleRate);
      expect(picks).toHaveLength(1);
      // The band-pass delays every onset alike (it cancels between sensors); it stays under 0.3 ms.
      const late = picks[0]!.offsetS - arrivalS(ONE, ONE.sensors[0]!, ONE.shots[0]!);
      expect(late).toBeGreaterThan(-0.0001);
      expect(late).toBeLessThan(0.0003);
      expect(picks[0]!.snrDb).toBeGreaterThan(20);
    }
  });

  it('finds nothing in a clip with no pulse at all: noise, digital silence, a steady hum', () => {
    const [noise] = gunfireAudio({ ...ONE, shots: [] });
    expect(pickPulses(noise!.samples, 48000)).toEqual([]);
    expect(pickPulses(new Float32Array(48000), 48000)).toEqual([]);
    const hum = Float32Array.from({ length: 96000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / 48000));
    expect(pickPulses(hum, 48000)).toEqual([]);
    expect(pickPulses(new Float32Array(10), 48000)).toEqual([]);
  });

  it('does not take the step out of zero padding for a pulse (Pittsburgh clips start with a second of zeros)', () => {
    const [a] = gunfireAudio({ ...ONE, noiseRms: 0.01 });
    a!.samples.fill(0, 0, 24000);
    const picks = pickPulses(a!.samples, 48000);
    expect(picks).toHaveLength(1);
    expect(picks[0]!.offsetS).toBeGreaterThan(0.9);
  });

  it('picks a blast out of a quiet street quantised to 16 bits, many of its samples exactly zero', () => {
    // A sensor set for gunfire: a quiet street at a step or two of a 16-bit converter.
    const [a] = gunfireAudio({ ...ONE, noiseRms: 1.2 / 32768, levelAt100m: 0.05 });
    const q = Float32Array.from(a!.samples, (v) => Math.round(v * 32768) / 32768);
    const before = q.subarray(0, 40000);
    expect(before.filter((v) => v === 0).length / before.length).toBeGreaterThan(0.25);
    const picks = pickPulses(q, 48000);
    expect(picks).toHaveLength(1);
    expect(Math.abs(picks[0]!.offsetS - arrivalS(ONE, ONE.sensors[0]!, ONE.shots[0]!))).toBeLessThan(0.0005);
  });

  it('times a blast 15-25 ms after its bullet\u2019s louder crack at the blast, not where the crack\u2019s decay ends', () => {
    // A rifle fired past the sensor: the first bearing whose crack leads the blast by 15-25 ms.
    const shotAt = (azimuthDeg: number): GunfireScene['shots'][number] => ({ x: 250, y: 0, tS: 1, bullet: { azimuthDeg, speedMs: 850, gain: 2 } });
    const blastS = arrivalS(ONE, ONE.sensors[0]!, ONE.shots[0]!);
    const azimuth = Array.from({ length: 360 }, (_, d) => d).find((d) => {
      const crack = crackDelayS({ ...ONE, shots: [shotAt(d)] }, ONE.sensors[0]!, shotAt(d));
      return crack !== null && blastS - (1 + crack) > 0.015 && blastS - (1 + crack) < 0.025;
    })!;
    expect(azimuth).toBeDefined();
    const scene: GunfireScene = { ...ONE, shots: [shotAt(azimuth)] };
    for (const sampleRate of [12000, 16000, 48000]) {
      const [a] = gunfireAudio({ ...scene, sampleRate });
      const picks = pickPulses(a!.samples, sampleRate);
      const crackS = 1 + crackDelayS(scene, ONE.sensors[0]!, scene.shots[0]!)!;
      expect(picks.some((p) => Math.abs(p.offsetS - crackS) < 0.0005)).toBe(true);
      expect(picks.some((p) => Math.abs(p.offsetS - blastS) < 0.0005)).toBe(true);
    }
  });

  it('keeps an echo louder than the direct sound as its own pulse, after the direct one', () => {
    const scene: GunfireScene = { ...ONE, echoes: [{ sensor: 'A', delayS: 0.12, gain: 2.5 }] };
    const [a] = gunfireAudio(scene);
    const picks = pickPulses(a!.samples, 48000);
    expect(picks).toHaveLength(2);
    expect(picks[0]!.offsetS).toBeCloseTo(arrivalS(scene, scene.sensors[0]!, scene.shots[0]!), 3);
    expect(picks[1]!.snrDb).toBeGreaterThan(picks[0]!.snrDb);
  });

  it('separates every round of a burst of 8 at 80 ms', () => {
    const scene: GunfireScene = { ...ONE, shots: Array.from({ length: 8 }, (_, k) => ({ x: 250, y: 0, tS: 1 + 0.08 * k })) };
    const [a] = gunfireAudio(scene);
    const picks = pickPulses(a!.samples, 48000);
    expect(picks).toHaveLength(8);
    picks.forEach((p, k) => expect(Math.abs(p.offsetS - arrivalS(scene, scene.sensors[0]!, scene.shots[k]!))).toBeLessThan(0.0005));
  });

  it('flags a clipped pulse and reports its peak level', () => {
    const [loud] = gunfireAudio({ ...ONE, levelAt100m: 8 });
    const [quiet] = gunfireAudio({ ...ONE, levelAt100m: 0.2 });
    const [clean] = gunfireAudio({ ...ONE, levelAt100m: 0.2, noiseRms: 0 });
    const l = pickPulses(loud!.samples, 48000)[0]!,
      q = pickPulses(quiet!.samples, 48000)[0]!;
    expect(l.clipped).toBe(true);
    expect(l.peakDbfs).toBeCloseTo(0, 1);
    expect(q.clipped).toBe(false);
    const truePeak = clean!.samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(q.peakDbfs).toBeCloseTo(20 * Math.log10(truePeak), 0);
  });

  it('picks through loud traffic rumble and a voice talking, and takes neither for a pulse', () => {
    const [a] = gunfireAudio({ ...ONE, levelAt100m: 0.1 });
    for (let i = 0; i < a!.samples.length; i++) {
      const t = i / 48000;
      // A truck at 45 Hz ten times the blast's peak, and syllables: 220 Hz and harmonics, 4 a second.
      const syllable = Math.max(0, Math.sin(2 * Math.PI * 4 * t)) ** 2;
      a!.samples[i]! +=
        0.4 * Math.sin(2 * Math.PI * 45 * t) +
        0.004 * syllable * (Math.sin(2 * Math.PI * 220 * t) + 0.5 * Math.sin(2 * Math.PI * 440 * t) + 0.3 * Math.sin(2 * Math.PI * 660 * t));
    }
    const picks = pickPulses(a!.samples, 48000);
    expect(picks).toHaveLength(1);
    expect(Math.abs(picks[0]!.offsetS - arrivalS(ONE, ONE.sensors[0]!, ONE.shots[0]!))).toBeLessThan(0.0005);
  });
});
