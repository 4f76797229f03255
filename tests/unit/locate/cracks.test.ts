import { describe, expect, it } from 'vitest';
import { separateCracks } from '../../../src/locate/cracks.ts';
import { hiddenBlast } from '../../../src/locate/hidden-blast.ts';
import { fitPicks, type Hypothesis } from '../../../src/locate/hypothesis.ts';
import { speedOfSound } from '../../../src/locate/index.ts';
import { maskedPicks, precededPicks, type Track } from '../../../src/locate/tracks.ts';
import { arrivalS, crackDelayS, RING6, type GunfireScene } from '../../support/gunfire.ts';

/**
 * separateCracks on exact arrival times (no picker in between): which of the association's
 * shots is a bullet's crack. Each shot is given as its arrival per sensor, as the association
 * would have found it.
 */
const C = speedOfSound(15);
const O = { c: C, elevation: null, gateS: 0.006 };

/** Tracks holding the given arrivals (seconds on the alert's timeline), one list per source. */
function tracksOf(sources: (number | null)[][]): { tracks: Track[]; picks: Int32Array[] } {
  const tracks = RING6.map((s, k) => {
    const times = Float64Array.from(sources.flatMap((src) => (src[k] === null ? [] : [src[k]!]))).sort();
    const levelDb = new Float64Array(times.length).fill(-20);
    return {
      id: s.id,
      x: s.x,
      y: s.y,
      z: null,
      times,
      snrDb: new Float64Array(times.length).fill(30),
      levelDb,
      calibrationDb: null,
      masked: maskedPicks(times, levelDb),
      preceded: precededPicks(times, levelDb),
      startS: 0,
      endS: 5,
    };
  });
  const picks = sources.map((src) => Int32Array.from(src, (t, k) => (t === null ? -1 : tracks[k]!.times.indexOf(t))));
  return { tracks, picks };
}

const shotOf = (tracks: Track[], picks: Int32Array): Hypothesis => fitPicks(tracks, picks, O)!;

describe('separateCracks', () => {
  it("takes the crack of a rifle fired across the network for its bullet's, computed from the geometry, not for a shot", () => {
    const shot = { x: -350, y: -300, tS: 1, bullet: { azimuthDeg: 30, speedMs: 900 } };
    const scene: GunfireScene = { sensors: RING6, shots: [shot] };
    const blast = RING6.map((s) => arrivalS(scene, s, shot));
    const crack = RING6.map((s) => {
      const d = crackDelayS(scene, s, shot);
      return d === null ? null : shot.tS + d;
    });
    const { tracks, picks } = tracksOf([blast, crack]);
    const found = [shotOf(tracks, picks[0]!), shotOf(tracks, picks[1]!)];
    // As a point source the crack is a "shot" far from the muzzle.
    expect(Math.hypot(found[1]!.fix.x - shot.x, found[1]!.fix.y - shot.y)).toBeGreaterThan(100);
    const out = separateCracks(tracks, found, O);
    expect(out.shots).toEqual([found[0]]);
    expect(out.cracks).toHaveLength(1);
    expect(out.cracks[0]!.blast).toBe(found[0]);
    expect([...out.cracks[0]!.picks]).toEqual([...picks[1]!]);
    expect((out.cracks[0]!.fit.azimuthRad * 180) / Math.PI).toBeCloseTo(30, 0);
  });

  it('keeps a second shooter a shot, though heard after the first shot and before its blast on four of six sensors', () => {
    const a = { x: -350, y: -250, tS: 1 },
      b = { x: 100, y: 100, tS: 1.02 };
    const scene: GunfireScene = { sensors: RING6, shots: [a, b] };
    const ta = RING6.map((s) => arrivalS(scene, s, a)),
      tb = RING6.map((s) => arrivalS(scene, s, b));
    expect(tb.filter((t, k) => t > a.tS && t < ta[k]!).length).toBe(4);
    const { tracks, picks } = tracksOf([ta, tb]);
    const found = [shotOf(tracks, picks[0]!), shotOf(tracks, picks[1]!)];
    const out = separateCracks(tracks, found, O);
    expect(out.cracks).toHaveLength(0);
    expect(out.shots).toEqual(found);
  });
});

describe('hiddenBlast', () => {
  it('finds the blast where it shares picks with the shot taken for its crack: sensors outside the Mach cone hear the blast alone', () => {
    // Fired north: S2-S4 hear the crack well before the blast (S4 the crack only, its blast
    // lost in the crack's ring), S1 and S6 are outside the cone and hear the blast alone, S5
    // heard nothing. The suspect strung the cracks together with S1's and S6's blasts: the
    // blast's picks there are the suspect's own.
    const shot = { x: -350, y: -300, tS: 1, bullet: { azimuthDeg: 0, speedMs: 900 } };
    const scene: GunfireScene = { sensors: RING6, shots: [shot] };
    const blast = RING6.map((s) => arrivalS(scene, s, shot));
    const crack = RING6.map((s) => {
      const d = crackDelayS(scene, s, shot);
      return d === null || shot.tS + d > arrivalS(scene, s, shot) - 0.008 ? null : shot.tS + d;
    });
    expect(crack.map((t) => t !== null)).toEqual([false, true, true, true, false, false]);
    const heardBlast = blast.map((t, k) => (k === 3 || k === 4 ? null : t));
    const { tracks, picks } = tracksOf([heardBlast, crack]);
    const suspect = Int32Array.from(picks[1]!, (i, k) => (i >= 0 ? i : picks[0]![k]!));
    const h = shotOf(tracks, suspect);
    const taken = tracks.map((t, k) => Uint8Array.from(t.times, (_, i) => (suspect[k] === i ? 1 : 0)));
    const none = tracks.map((t) => new Uint8Array(t.times.length));
    const set = hiddenBlast(tracks, taken, none, h, [], { ...O, minRoundGapS: 0.045 }, O.gateS / 3);
    expect(set).not.toBeNull();
    expect(Math.hypot(set!.blast.fix.x - shot.x, set!.blast.fix.y - shot.y)).toBeLessThan(1);
    expect([...set!.blast.picks]).toEqual([...picks[0]!]);
    expect([...set!.picks]).toEqual([...picks[1]!]);
  });
});
