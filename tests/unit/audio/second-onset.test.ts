import { describe, expect, it } from 'vitest';
import { pickPulses } from '../../../src/audio/pulses/pick.ts';
import { secondOnset } from '../../../src/audio/pulses/second-onset.ts';
import { arrivalS, gunfireAudio, type GunfireScene } from '../../support/gunfire.ts';

const SENSOR = { id: 'A', x: 0, y: 0 };
const GATE_S = 0.004;

describe('secondOnset', () => {
  it('finds a blast 6 ms after another that the picker takes for one pulse, timed as the picker would', () => {
    const scene: GunfireScene = {
      sensors: [SENSOR],
      shots: [
        { x: 250, y: 0, tS: 1 },
        { x: 250, y: 0, tS: 1.006 },
      ],
    };
    const [a] = gunfireAudio(scene);
    const picks = pickPulses(a!.samples, 48000);
    expect(picks).toHaveLength(1);
    const want = arrivalS(scene, SENSOR, scene.shots[1]!);
    const second = secondOnset(a!.samples, 48000, picks[0]!.offsetS, want - GATE_S, want + GATE_S, 8);
    expect(second).not.toBeNull();
    expect(Math.abs(second!.offsetS - want)).toBeLessThan(0.0003);
  });

  it('finds nothing in the tail of a lone blast', () => {
    const scene: GunfireScene = { sensors: [SENSOR], shots: [{ x: 250, y: 0, tS: 1 }] };
    const [a] = gunfireAudio(scene);
    const [first] = pickPulses(a!.samples, 48000);
    for (const want of [first!.offsetS + 0.004, first!.offsetS + 0.006, first!.offsetS + 0.008])
      expect(secondOnset(a!.samples, 48000, first!.offsetS, want - GATE_S, want + GATE_S, 8)).toBeNull();
  });
});
