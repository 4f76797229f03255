import { describe, expect, it } from 'vitest';
import type { ProjectClip } from '../../../src/contract/index.ts';
import { recordingsOf } from '../../../src/dataset/recordings.ts';
import { findLeaks, incidentsOf, planSplits, SPLIT_NAMES, type AlertPlace } from '../../../src/dataset/splits.ts';
import { prng } from '../../support/dataset.ts';

function clip(
  id: number,
  o: { sha?: string; site?: string; sensor?: string; startUs?: number | null; alertId?: number; recording?: string } = {},
): ProjectClip {
  return {
    id,
    projectId: 1,
    name: `c${id}`,
    origin: o.alertId ? 'alert' : 'audio',
    channel: 0,
    alertId: o.alertId ?? null,
    sensorId: null,
    labelCount: 0,
    addedBy: 't',
    addedUs: 0,
    clip: { sha256: o.sha ?? id.toString(16).padStart(64, '0'), bytes: 1, format: 'pcm16', sampleRate: 16000, channels: 1, frames: 16000, durationS: 1 },
    clipStartUs: o.startUs === undefined ? null : o.startUs,
    site: o.site ?? 's',
    sensorKey: o.sensor ?? `sensor-${id}`,
    sourceRecording: o.recording ?? null,
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
      const plan = planSplits(
        clips.map((c) => ({ clip: c, weight: 1 })),
        'sensor',
        { train: 0.5, validation: 0.25, test: 0.25 },
        seed,
      );
      for (let i = 0; i < 20; i++) expect(plan.splitOf(clips[i]!)).toBe(plan.splitOf(clips[i + 20]!));
      expect(plan.groups.train + plan.groups.validation + plan.groups.test).toBe(20);
    }
  });

  it('groups by UTC date, and gives undated plain audio a group of its own', () => {
    const day = 86_400_000_000;
    const clips = [clip(1, { startUs: 5 * day + 1 }), clip(2, { startUs: 6 * day - 1 }), clip(3, { startUs: 6 * day }), clip(4, { startUs: null })];
    const plan = planSplits(
      clips.map((c) => ({ clip: c, weight: 1 })),
      'date',
      shares,
      'x',
    );
    expect(plan.groupOf(clips[0]!)).toBe(plan.groupOf(clips[1]!));
    expect(plan.groupOf(clips[2]!)).not.toBe(plan.groupOf(clips[1]!));
    expect(plan.groupOf(clips[3]!)).toMatch(/^audio:/);
    expect(plan.grouping).toEqual([
      { basis: 'date', clips: 3, because: null },
      { basis: 'recording', clips: 1, because: expect.stringMatching(/no date/) },
    ]);
  });

  it('never uses a split whose share is 0', () => {
    const clips = Array.from({ length: 50 }, (_, i) => clip(i + 1));
    const plan = planSplits(
      clips.map((c) => ({ clip: c, weight: 1 })),
      'clip',
      { train: 0.7, validation: 0, test: 0.3 },
      's',
    );
    expect(clips.some((c) => plan.splitOf(c) === 'validation')).toBe(false);
    expect(plan.groups.test).toBe(15);
  });
});

describe('source recordings, incidents and leaks', () => {
  it('joins tracks of one sensor whose times overlap or touch, never across sensors, and declared pieces of a file', () => {
    // 16000 frames at 16 kHz: one second each.
    const s = 1_000_000;
    const clips = [
      clip(1, { alertId: 1, sensor: 'n/S1', startUs: 0 }),
      clip(2, { alertId: 2, sensor: 'n/S1', startUs: s / 2 }),
      clip(3, { alertId: 3, sensor: 'n/S1', startUs: (3 * s) / 2 }),
      clip(4, { alertId: 4, sensor: 'n/S1', startUs: 5 * s }),
      clip(5, { alertId: 1, sensor: 'n/S2', startUs: 0 }),
      clip(6, { recording: 'field/night' }),
      clip(7, { recording: 'field/night' }),
      clip(8),
      clip(9),
    ];
    const r = recordingsOf(clips);
    expect(r.get(1)).toBe(r.get(2));
    expect(r.get(2)).toBe(r.get(3)); // touches the end of clip 2
    expect(r.get(4)).not.toBe(r.get(1));
    expect(r.get(5)).not.toBe(r.get(1));
    expect(r.get(6)).toBe(r.get(7));
    expect(r.get(8)).not.toBe(r.get(9));
  });

  it('makes alerts of one network within two minutes and a kilometre one incident, by single linkage', () => {
    const at = (alertId: number, source: string, sec: number, lat: number | null = null, lon: number | null = null): AlertPlace => ({
      alertId,
      source,
      externalId: `x${alertId}`,
      detectedUs: sec * 1e6,
      lat,
      lon,
    });
    const inc = incidentsOf([
      at(1, 'n', 0, 40, -80),
      at(2, 'n', 100, 40.001, -80),
      at(3, 'n', 190, 40.002, -80), // a chain: 1-2, 2-3
      at(4, 'n', 195, 41, -80), // in time, 111 km away
      at(5, 'm', 5), // another network
      at(6, 'n', 1000), // much later
      at(7, 'n', 1050, null, null), // no fix: linked by time alone
    ]);
    expect(inc.get(2)).toBe(inc.get(1));
    expect(inc.get(3)).toBe(inc.get(1));
    expect(inc.get(4)).not.toBe(inc.get(1));
    expect(inc.get(5)).not.toBe(inc.get(1));
    expect(inc.get(6)).not.toBe(inc.get(1));
    expect(inc.get(7)).toBe(inc.get(6));
  });

  it('finds an alert, a recording and the same audio in two splits', () => {
    const clips = [
      clip(1, { alertId: 1, sensor: 'n/S1', startUs: 0 }),
      clip(2, { alertId: 1, sensor: 'n/S2', startUs: 0 }),
      clip(3, { alertId: 2, sensor: 'n/S1', startUs: 500_000 }),
      clip(4, { sha: 'f'.repeat(64) }),
      clip(5, { sha: 'f'.repeat(64) }),
    ];
    const recordings = recordingsOf(clips);
    const split = new Map([
      [1, 'train'],
      [2, 'test'],
      [3, 'validation'],
      [4, 'train'],
      [5, 'test'],
    ] as const);
    const leaks = findLeaks(clips, { splitOf: (c) => split.get(c.id as 1)!, recordingOf: (c) => recordings.get(c.id)! });
    expect(leaks).toMatchObject({ alerts: 1, recordings: 2, clips: 1 });
    expect(leaks.examples[0]).toBe('alert 1 is in train and test');
    const none = findLeaks(clips, { splitOf: () => 'train', recordingOf: (c) => recordings.get(c.id)! });
    expect(none).toEqual({ alerts: 0, recordings: 0, clips: 0, examples: [] });
  });
});
