import { describe, expect, it } from 'vitest';
import type { ProjectClip } from '../../../src/contract/index.ts';
import { planSplits, SPLIT_NAMES } from '../../../src/dataset/splits.ts';
import { prng } from '../../support/dataset.ts';

function clip(id: number, o: { sha?: string; site?: string; sensor?: string; startUs?: number | null } = {}): ProjectClip {
  return {
    id, projectId: 1, name: `c${id}`, origin: 'audio', channel: 0, alertId: null, sensorId: null, labelCount: 0, addedBy: 't', addedUs: 0,
    clip: { sha256: o.sha ?? id.toString(16).padStart(64, '0'), bytes: 1, format: 'pcm16', sampleRate: 16000, channels: 1, frames: 16000, durationS: 1 },
    clipStartUs: o.startUs === undefined ? null : o.startUs, site: o.site ?? 's', sensorKey: o.sensor ?? `sensor-${id}`,
  };
}
const shares = { train: 0.8, validation: 0.1, test: 0.1 };

describe('splits', () => {
  it('puts every group in exactly one split, near the shares, the same way for the same seed', () => {
    const rand = prng(5);
    const clips = Array.from({ length: 600 }, (_, i) => clip(i + 1, { sensor: `sensor-${Math.floor(rand() * 60)}` }));
    const items = clips.map((c) => ({ clip: c, weight: 1 + Math.floor(rand() * 5) }));
    const plan = planSplits(items, 'sensor', shares, 'seed-1');
    const splitOfSensor = new Map<string, string>();
    for (const c of clips) {
      const s = plan.splitOf(c);
      expect(SPLIT_NAMES).toContain(s);
      const before = splitOfSensor.get(c.sensorKey);
      if (before) expect(s).toBe(before);
      splitOfSensor.set(c.sensorKey, s);
    }
    const weightIn = (s: string) => items.filter((i) => plan.splitOf(i.clip) === s).reduce((a, i) => a + i.weight, 0);
    const total = items.reduce((a, i) => a + i.weight, 0);
    expect(weightIn('train') / total).toBeGreaterThan(0.7);
    expect(weightIn('validation')).toBeGreaterThan(0);
    expect(weightIn('test')).toBeGreaterThan(0);
    const again = planSplits(items, 'sensor', shares, 'seed-1');
    expect(clips.map(again.splitOf)).toEqual(clips.map(plan.splitOf));
    const other = planSplits(items, 'sensor', shares, 'seed-2');
    expect(clips.map(other.splitOf)).not.toEqual(clips.map(plan.splitOf));
  });

  it('joins groups that share a recording, so the same audio never lands in two splits', () => {
    // Sensors 1..40 each have one clip; clip k and clip k+20 are the same audio under two sensors.
    const clips = Array.from({ length: 40 }, (_, i) => clip(i + 1, { sha: (i % 20).toString(16).padStart(64, 'a'), sensor: `sensor-${i}` }));
    for (const seed of ['a', 'b', 'c', 'd', 'e']) {
      const plan = planSplits(clips.map((c) => ({ clip: c, weight: 1 })), 'sensor', { train: 0.5, validation: 0.25, test: 0.25 }, seed);
      for (let i = 0; i < 20; i++) expect(plan.splitOf(clips[i]!)).toBe(plan.splitOf(clips[i + 20]!));
      expect(plan.groups.train + plan.groups.validation + plan.groups.test).toBe(20);
    }
  });

  it('groups by UTC date, and gives undated plain audio a group of its own', () => {
    const day = 86_400_000_000;
    const clips = [clip(1, { startUs: 5 * day + 1 }), clip(2, { startUs: 6 * day - 1 }), clip(3, { startUs: 6 * day }), clip(4, { startUs: null })];
    const plan = planSplits(clips.map((c) => ({ clip: c, weight: 1 })), 'date', shares, 'x');
    expect(plan.groupOf(clips[0]!)).toBe(plan.groupOf(clips[1]!));
    expect(plan.groupOf(clips[2]!)).not.toBe(plan.groupOf(clips[1]!));
    expect(plan.groupOf(clips[3]!)).toMatch(/^clip:/);
  });

  it('never uses a split whose share is 0', () => {
    const clips = Array.from({ length: 50 }, (_, i) => clip(i + 1));
    const plan = planSplits(clips.map((c) => ({ clip: c, weight: 1 })), 'clip', { train: 0.7, validation: 0, test: 0.3 }, 's');
    expect(clips.some((c) => plan.splitOf(c) === 'validation')).toBe(false);
    expect(plan.groups.test).toBe(15);
  });
});
