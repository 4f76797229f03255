import { describe, expect, it } from 'vitest';
import {
  fitView,
  formatSampleTime,
  formatStep,
  keepInView,
  minViewS,
  moveSpan,
  nudgeEdge,
  pulseAt,
  stepSamples,
  stepTo,
  toSample,
  toSeconds,
  withEdge,
  zoomClipView,
  EMPTY_DRAFT,
} from '../../../../renderer/src/labelling/timeline.ts';

describe('labelling timeline', () => {
  it('converts samples and seconds both ways without drift', () => {
    for (const sr of [8000, 16000, 44100, 48000, 192000]) {
      for (const n of [0, 1, 12345, sr * 60 + 7]) expect(toSample(toSeconds(n, sr), sr)).toBe(n);
    }
    expect(formatSampleTime(16001, 16000)).toBe('1.00006 s');
    expect(formatSampleTime(48001, 48000)).toBe('1.00002 s');
  });

  it('steps a round time at least a pixel wide, down to one sample when zoomed in', () => {
    // 2 s over 1000 px: 32 samples a pixel at 16 kHz; 5 ms (80 samples) is the first round step past it... 2 ms is 32.
    expect(stepSamples({ startS: 0, endS: 2 }, 1000, 16000)).toBe(32);
    expect(stepSamples({ startS: 0, endS: 2.1 }, 1000, 16000)).toBe(80);
    expect(stepSamples({ startS: 0, endS: 0.01 }, 1000, 16000)).toBe(1);
    expect(stepSamples({ startS: 0, endS: 600 }, 1000, 48000)).toBe(48000);
    expect(formatStep(1, 16000)).toBe('1 sample');
    expect(formatStep(16, 16000)).toBe('1 ms (16 samples)');
  });

  it('zooms around an anchor inside the clip, never narrower than a few dozen samples', () => {
    const v = zoomClipView({ startS: 0, endS: 2 }, 2, 0.5, 2, minViewS(16000, 2));
    expect(v.startS).toBeCloseTo(0.25);
    expect(v.endS).toBeCloseTo(1.25);
    let z = { startS: 0, endS: 2 };
    for (let i = 0; i < 40; i++) z = zoomClipView(z, 2, 1, 2, minViewS(16000, 2));
    expect(z.endS - z.startS).toBeCloseTo(64 / 16000);
    expect(zoomClipView({ startS: 1, endS: 1.5 }, 2, 1.2, 0.1, minViewS(16000, 2))).toEqual({ startS: 0, endS: 2 });
  });

  it('fits a selection with a margin and keeps the cursor in view with a small move', () => {
    const f = fitView(1, 1.1, 10, 0.001);
    expect(f.startS).toBeCloseTo(0.975);
    expect(f.endS).toBeCloseTo(1.125);
    const v = { startS: 2, endS: 4 };
    expect(keepInView(v, 10, 3)).toBe(v);
    expect(keepInView(v, 10, 4.5)).toEqual({ startS: 2.7, endS: 4.7 });
    expect(keepInView(v, 10, 0.1).startS).toBe(0);
  });

  it('sets edges in order, swapping an edge put past the other', () => {
    let d = withEdge(EMPTY_DRAFT, 'start', 100);
    expect([d.startSample, d.endSample]).toEqual([100, null]);
    d = withEdge(d, 'end', 250);
    expect([d.startSample, d.endSample]).toEqual([100, 250]);
    d = withEdge(d, 'start', 300);
    expect([d.startSample, d.endSample]).toEqual([250, 300]);
    d = withEdge(d, 'end', 250);
    expect([d.startSample, d.endSample]).toEqual([null, 250]);
    d = withEdge(withEdge(EMPTY_DRAFT, 'end', 40), 'start', 90);
    expect([d.startSample, d.endSample]).toEqual([40, 90]);
  });

  it('nudges and moves within the clip, never to an empty selection', () => {
    const s = { startSample: 10, endSample: 20 };
    expect(nudgeEdge(s, 'start', -15, 100)).toEqual({ startSample: 0, endSample: 20 });
    expect(nudgeEdge(s, 'start', 50, 100)).toEqual({ startSample: 19, endSample: 20 });
    expect(nudgeEdge(s, 'end', -50, 100)).toEqual({ startSample: 10, endSample: 11 });
    expect(nudgeEdge(s, 'end', 500, 100)).toEqual({ startSample: 10, endSample: 100 });
    expect(moveSpan(s, 85, 100)).toEqual({ startSample: 90, endSample: 100 });
    expect(moveSpan(s, -85, 100)).toEqual({ startSample: 0, endSample: 10 });
  });

  it('steps to the next or previous item and finds the pulse at the cursor', () => {
    const items = [
      { startSample: 50, endSample: 60 },
      { startSample: 10, endSample: 20 },
      { startSample: 30, endSample: 40 },
    ];
    expect(stepTo(items, 10, 1)?.startSample).toBe(30);
    expect(stepTo(items, 10, -1)).toBeNull();
    expect(stepTo(items, 45, -1)?.startSample).toBe(30);
    expect(pulseAt(items, 35, 0)?.startSample).toBe(30);
    expect(pulseAt(items, 25, 5)?.startSample).toBe(30);
    expect(pulseAt(items, 25, 4)).toBeNull();
  });
});
