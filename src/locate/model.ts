import type { Fix } from './solve.ts';
import type { Geometry } from './tracks.ts';
import type { PlainShot } from './types.ts';
import { uncertaintyOf, type Cov2, type TimingPrior } from './uncertainty.ts';

/**
 * The locator's model of how far real arrivals stray from straight-line sound at one speed:
 * paths diffracted over and round buildings, sensor positions, wind, a pick on a front dulled
 * by distance. One number carries it, the model-error timing sigma; the association gate and
 * the uncertainty's prior follow from it. 15 ms: sensors report their position from a GPS fix
 * that is metres off (the Pittsburgh sidecars differ from ShotSpotter's surveyed sensor
 * positions by about 4 m, some by 20 m: 12 ms and more of path), on top of a few ms of
 * diffraction. Where an alert's own shots show far less scatter, locateFromAudio narrows it.
 */
const MODEL_SIGMA_S = 0.015;

export const MODEL = {
  sigmaS: MODEL_SIGMA_S,
  /** The least model error an alert's own scatter may set: picks and straight paths are not better than this. */
  minSigmaS: 0.002,
  /** A pick within three sigma of its modelled arrival supports a shot. */
  gateS: 3 * MODEL_SIGMA_S,
  /** Rounds of one gun are at least this far apart (fully automatic fire: 60 ms and more). */
  minRoundGapS: 0.045,
  prior: { sigma0S: MODEL_SIGMA_S, nu0: 4 } satisfies TimingPrior,
};

/**
 * 2-D: horizontal distances (the default: a source's height is not observable from arrival
 * times at sensors spread over a plane, estimating it trades height for position, and GPS
 * heights are the worst part of a GPS fix). 2.5-D: distances in three dimensions to a source at
 * street level, taken as the lowest sensor's height (sensors sit on roofs and poles above the
 * street they listen to): better where sensor heights are surveyed (ShotSpotter's own sensor
 * positions on the Pittsburgh set, the demo network), worse with GPS heights.
 */
export function geometryFor(sensors: readonly { z: number | null }[], c: number, mode: '2d' | '2.5d'): Geometry {
  const zs = sensors.map((s) => s.z);
  if (mode === '2d' || zs.length === 0 || zs.some((z) => z === null)) return { c, elevation: null };
  return { c, elevation: { priorZ: Math.min(...(zs as number[])), sigmaM: 0.01 } };
}

/** A fix as the locator reports it: emission time in microseconds UTC, residuals by sensor, the ellipse. */
export function shotFromFix(
  fix: Fix,
  sensorIds: readonly string[],
  o: { index: number; refUs: number; c: number; prior?: TimingPrior; spreadM2?: Cov2 | null },
): PlainShot {
  const u = uncertaintyOf(fix, o.c, o.prior ?? MODEL.prior, o.spreadM2 ?? undefined);
  const residualsMs: Record<string, number> = {};
  sensorIds.forEach((id, i) => {
    residualsMs[id] = fix.residualsS[i]! * 1000;
  });
  return {
    index: o.index,
    timeUs: o.refUs + Math.round(fix.t0 * 1e6),
    local: { x: fix.x, y: fix.y },
    ellipse95: u.ellipse95,
    gdop: u.gdop,
    sensorsUsed: [...sensorIds],
    residualRmsMs: Math.sqrt(fix.rss / fix.residualsS.length) * 1000,
    residualsMs,
  };
}
