import { describe, expect, it } from 'vitest';
import type { Track } from '../../../src/contract/index.ts';
import { clampView, clipInView, followView, layoutDeck, MAX_ZOOM, panView, stepPulse, zoomView } from '../../../renderer/src/incident/deck.ts';
import type { TrackRow } from '../../../renderer/src/incident/track-layout.ts';
import { elementAction, linearGain, stepRate, type MixTrack } from '../../../renderer/src/incident/playback/mix.ts';

const T0 = 1_700_000_000_000_000;
const row = (sensorId: string, clipStartUs: number, durationS: number, arrivalUs: number | null): TrackRow => ({
  track: {
    sensorId,
    position: { x: 0, y: 0 },
    local: { x: 0, y: 0, z: null },
    participating: true,
    channel: 0,
    clipStartUs,
    clipStartIso: '',
    fullScaleDbSpl: null,
    clip: { sha256: '0'.repeat(64), bytes: 1, format: 'pcm16', sampleRate: 48000, channels: 1, frames: durationS * 48000, durationS },
  } satisfies Track,
  marks:
    arrivalUs === null
      ? []
      : [
          { kind: 'pulse', timeUs: arrivalUs, title: '' },
          { kind: 'shot', timeUs: T0, title: '' },
        ],
  distanceM: null,
  firstArrivalUs: arrivalUs,
});

describe("the deck's timeline", () => {
  const rows = [row('A', T0, 2, T0 + 500_000), row('B', T0 + 300_000, 2, T0 + 1_200_000), row('Q', T0, 2, null)];

  it('places clips at their real start on absolute time', () => {
    const d = layoutDeck(rows, 'absolute', [T0 + 100_000]);
    const [a, b] = d.rows;
    expect(b!.startS - a!.startS).toBeCloseTo(0.3, 9);
    expect(d.pulses.map((p) => p.sensorId)).toEqual(['A', 'B']);
    expect(d.pulses[1]!.s - d.pulses[0]!.s).toBeCloseTo(0.7, 9);
    expect(a!.placedMarks.some((m) => m.kind === 'shot')).toBe(true);
  });

  it('on first arrivals, moves each track so its first pulse lines up with the earliest; tracks without one stay', () => {
    const d = layoutDeck(rows, 'arrival', [T0 + 100_000]);
    const [a, b, q] = d.rows;
    expect(b!.shiftUs).toBe(-700_000);
    expect(a!.shiftUs).toBe(0);
    expect(q!.shiftUs).toBe(0);
    expect(d.pulses[0]!.s).toBeCloseTo(d.pulses[1]!.s, 9);
    // The shot's time means nothing once tracks are shifted.
    expect(d.rows.flatMap((r) => r.placedMarks).some((m) => m.kind === 'shot')).toBe(false);
    expect(b!.startS).toBeCloseTo(a!.startS - 0.4, 9);
  });

  it('zooms around an anchor, never past the deck or the finest zoom, and pans within it', () => {
    const full = { startS: 0, endS: 4 };
    const z = zoomView(full, 4, 1, 2);
    expect(z).toEqual({ startS: 0.5, endS: 2.5 });
    expect(zoomView(z, 4, 1, 0.5)).toEqual(full);
    let v = full;
    for (let i = 0; i < 20; i++) v = zoomView(v, 4, 3, 2);
    expect(v.endS - v.startS).toBeCloseTo(4 / MAX_ZOOM, 9);
    expect(panView({ startS: 3, endS: 3.5 }, 4, 2)).toEqual({ startS: 3.5, endS: 4 });
    expect(clampView({ startS: -1, endS: 1 }, 4)).toEqual({ startS: 0, endS: 2 });
    expect(followView({ startS: 0, endS: 1 }, 4, 0.5)).toEqual({ startS: 0, endS: 1 });
    expect(followView({ startS: 0, endS: 1 }, 4, 2)).toEqual({ startS: 1.9, endS: 2.9 });
  });

  it('steps from pulse to pulse, on one track or all', () => {
    const pulses = [
      { s: 1, sensorId: 'A' },
      { s: 1.5, sensorId: 'B' },
      { s: 2, sensorId: 'A' },
    ];
    expect(stepPulse(pulses, 0, 1, null)).toBe(1);
    expect(stepPulse(pulses, 1, 1, null)).toBe(1.5);
    expect(stepPulse(pulses, 1, 1, 'A')).toBe(2);
    expect(stepPulse(pulses, 1.5, -1, null)).toBe(1);
    expect(stepPulse(pulses, 2, 1, null)).toBeNull();
    expect(stepPulse(pulses, 1, -1, null)).toBeNull();
  });

  it('shows the part of a clip in view and where it starts inside the clip', () => {
    expect(clipInView(1, 2, { startS: 0, endS: 4 })).toEqual({ left: 0.25, width: 0.5, fromS: 0 });
    expect(clipInView(1, 2, { startS: 2, endS: 4 })).toEqual({ left: 0, width: 0.5, fromS: 1 });
    expect(clipInView(1, 2, { startS: 3, endS: 4 })).toBeNull();
  });
});

describe('the mix', () => {
  const t = (id: string, o: Partial<MixTrack> = {}): MixTrack => ({ id, gainDb: 0, muted: false, solo: false, ...o });

  it('mutes, solos and plays one alone', () => {
    const all = [t('a'), t('b', { solo: true }), t('c', { muted: true, solo: true }), t('d', { gainDb: 6 })];
    expect(all.map((x) => linearGain(x, all, null))).toEqual([0, 1, 0, 0]);
    const none = [t('a'), t('d', { gainDb: -20 })];
    expect(none.map((x) => linearGain(x, none, null))).toEqual([1, 0.1]);
    expect(all.map((x) => linearGain(x, all, 'c'))).toEqual([0, 0, 1, 0]);
  });

  it('steps the rate between 0.25x and 2x', () => {
    expect(stepRate(1, 1)).toBe(1.25);
    expect(stepRate(1, -1)).toBe(0.75);
    expect(stepRate(0.25, -1)).toBe(0.25);
    expect(stepRate(2, 1)).toBe(2);
  });

  it('starts, corrects and stops each element for the playhead', () => {
    const e = { startS: 1, durationS: 2, currentTime: 0, paused: true };
    expect(elementAction(e, true, 0.5)).toEqual({ kind: 'none' });
    expect(elementAction(e, true, 1.5)).toEqual({ kind: 'start', at: 0.5 });
    expect(elementAction({ ...e, paused: false, currentTime: 0.52 }, true, 1.5)).toEqual({ kind: 'none' });
    expect(elementAction({ ...e, paused: false, currentTime: 0.6 }, true, 1.5)).toEqual({ kind: 'correct', at: 0.5 });
    expect(elementAction({ ...e, paused: false }, true, 3.5)).toEqual({ kind: 'stop' });
    expect(elementAction({ ...e, paused: false }, false, 1.5)).toEqual({ kind: 'stop' });
  });
});
