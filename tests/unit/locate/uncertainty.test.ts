import { describe, expect, it } from 'vitest';
import type { Fix } from '../../../src/locate/solve.ts';
import { fQuantile95, pooledSigmaS, uncertaintyOf } from '../../../src/locate/uncertainty.ts';
import { maskedPicks, precededPicks } from '../../../src/locate/tracks.ts';

const fix = (unitCov: [number, number, number], residualsS: number[]): Fix => ({
  x: 0,
  y: 0,
  z: null,
  t0: 0,
  residualsS,
  rss: residualsS.reduce((s, r) => s + r * r, 0),
  unitCov,
  converged: true,
});

describe('uncertainty', () => {
  it('uses the F(2, m) quantile, which tends to chi-square(2) as m grows', () => {
    expect(2 * fQuantile95(2, 1e7)).toBeCloseTo(5.991, 2);
    expect(2 * fQuantile95(2, 4)).toBeCloseTo(13.89, 1); // tables: F(2,4; 0.95) = 6.94
    expect(2 * fQuantile95(2, 10)).toBeCloseTo(8.21, 1); // F(2,10; 0.95) = 4.10
  });

  it('pools the residuals with the prior: three sensors know only the prior, many sensors mostly themselves', () => {
    const prior = { sigma0S: 0.01, nu0: 4 };
    expect(pooledSigmaS(fix([1, 0, 1], [0, 0, 0]), prior).sigmaS).toBeCloseTo(0.01, 6);
    const many = Array.from({ length: 203 }, (_, i) => (i % 2 ? 0.001 : -0.001));
    expect(pooledSigmaS(fix([1, 0, 1], many), prior).sigmaS).toBeLessThan(0.002);
  });

  it('points the major axis along the long side of the covariance, clockwise from north', () => {
    const c = 340;
    const northSouth = uncertaintyOf(fix([1e4, 0, 9e4], [0, 0, 0]), c, { sigma0S: 0.001, nu0: 4 }).ellipse95!;
    expect(northSouth.azimuthDeg % 180).toBeCloseTo(0, 6);
    expect(northSouth.semiMajorM / northSouth.semiMinorM).toBeCloseTo(3, 6);
    const eastWest = uncertaintyOf(fix([9e4, 0, 1e4], [0, 0, 0]), c, { sigma0S: 0.001, nu0: 4 }).ellipse95!;
    expect(eastWest.azimuthDeg).toBeCloseTo(90, 6);
    const diagonal = uncertaintyOf(fix([5e4, 4e4, 5e4], [0, 0, 0]), c, { sigma0S: 0.001, nu0: 4 });
    expect(diagonal.ellipse95!.azimuthDeg).toBeCloseTo(45, 6); // north-east
    expect(diagonal.gdop).toBeCloseTo(Math.sqrt(1e5) / c, 6);
    expect(uncertaintyOf(fix([NaN, 0, 1], [0, 0, 0]), c, { sigma0S: 0.001, nu0: 4 }).ellipse95).toBeNull();
  });
});

describe('echo marks on one sensor', () => {
  it('masks a pick far quieter than one within the echo window before it, and not after the window', () => {
    const times = Float64Array.of(1, 1.5, 4.9, 6);
    const level = Float64Array.of(-10, -25, -24, -25);
    expect(Array.from(maskedPicks(times, level))).toEqual([0, 1, 1, 0]);
  });

  it('marks a pick that closely follows one not much quieter, even when it is louder (an echo off a facing wall)', () => {
    const times = Float64Array.of(1, 1.1, 1.3, 2.2, 2.25);
    const level = Float64Array.of(-20, -17, -40, -50, -20);
    expect(Array.from(precededPicks(times, level))).toEqual([0, 1, 1, 0, 0]);
  });
});
