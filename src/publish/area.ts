import { MODEL } from '../locate/model.ts';
import { ellipseRing, type Ring } from './geometry.ts';

/**
 * The area a message publishes for a located shot: the locator's 95 % ellipse, widened where it
 * claims more precision than the network can have. The rule (docs/publish/README.md):
 *
 *   sigma_t = max(the shot's residual rms, MODEL.minSigmaS = 2 ms)
 *   floor   = max(MIN_FLOOR_M, K95 * c * sigma_t * max(1, GDOP))
 *
 * - sigma_t: the solution's own timing scatter, but never below what picks and straight-line
 *   paths can deliver (the locator's own lower limit);
 * - K95 = sqrt(chi2_2(0.95)) = 2.448: a 95 % radius of a circular error of that timing sigma;
 * - GDOP (from the solution) grows the floor outside the sensors' hull, where timing error
 *   turns into much more position error;
 * - MIN_FLOOR_M: the sensor positions a network reports are GPS fixes metres off (locate/model.ts:
 *   4 m typical, some 20 m), and the shot is where its sound seems to start between buildings,
 *   so no acoustic fix is stated tighter than 10 m whatever its residuals.
 *
 * Each semi-axis of the ellipse is raised to at least the floor; the circle is centred on the
 * shot and contains the published polygon.
 */
export const MIN_FLOOR_M = 10;
export const K95 = Math.sqrt(5.991);
/** Vertices of the published polygon: enough that it departs from the ellipse by under 0.5 %. */
export const POLYGON_VERTICES = 32;

export interface PublishedArea {
  /** Semi-axes of the published (possibly widened) ellipse, metres. */
  semiMajorM: number;
  semiMinorM: number;
  azimuthDeg: number;
  /** The least semi-axis the rule allows for this solution, metres. */
  floorM: number;
  /** True when the locator's ellipse was smaller than the floor on some axis (or missing). */
  widened: boolean;
  /** Radius of the CAP circle: contains the polygon, which contains the ellipse. */
  circleRadiusM: number;
}

export interface AreaInputs {
  ellipse95: { semiMajorM: number; semiMinorM: number; azimuthDeg: number } | null;
  residualRmsMs: number | null;
  gdop: number | null;
  speedOfSoundMs: number;
}

export function floorFor(i: Pick<AreaInputs, 'residualRmsMs' | 'gdop' | 'speedOfSoundMs'>): number {
  const sigmaS = Math.max((i.residualRmsMs ?? 0) / 1000, MODEL.minSigmaS);
  const gdop = i.gdop !== null && Number.isFinite(i.gdop) ? Math.max(1, i.gdop) : 1;
  return Math.max(MIN_FLOOR_M, K95 * i.speedOfSoundMs * sigmaS * gdop);
}

/**
 * The polygon's vertices lie on the ellipse scaled by 1/cos(pi/n): its edges then touch the
 * ellipse from outside (an inscribed polygon would cut the ellipse's rim off), so the polygon
 * contains the whole ellipse; the circle's radius is that scaled semi-major axis.
 */
export const CIRCUMSCRIBE = 1 / Math.cos(Math.PI / POLYGON_VERTICES);

export function publishedArea(i: AreaInputs): PublishedArea {
  const floorM = floorFor(i);
  const e = i.ellipse95;
  // max() keeps the order of the axes: the major stays the larger.
  const semiMajorM = Math.max(e?.semiMajorM ?? 0, floorM);
  const semiMinorM = Math.max(e?.semiMinorM ?? 0, floorM);
  return {
    semiMajorM,
    semiMinorM,
    azimuthDeg: e?.azimuthDeg ?? 0,
    floorM,
    widened: !e || e.semiMajorM < floorM || e.semiMinorM < floorM,
    circleRadiusM: semiMajorM * CIRCUMSCRIBE,
  };
}

/** "80 m by 30 m": full axes, as a person reads an ellipse's size. */
export function axesInWords(e: { semiMajorM: number; semiMinorM: number }): string {
  return `${Math.round(2 * e.semiMajorM)} m by ${Math.round(2 * e.semiMinorM)} m`;
}

/** The published polygon as a closed GeoJSON ring ([lon, lat], counter-clockwise), circumscribing the published ellipse. */
export function areaRing(center: { lat: number; lon: number }, a: PublishedArea): Ring {
  return ellipseRing(center, { semiMajorM: a.semiMajorM * CIRCUMSCRIBE, semiMinorM: a.semiMinorM * CIRCUMSCRIBE, azimuthDeg: a.azimuthDeg }, POLYGON_VERTICES);
}
