import { describe, expect, it } from 'vitest';
import { LocalFrame } from '../../../src/locate/geodesy.ts';
import { ellipseRing, extentMetres, geoFrame, gridStep, metricFrame } from '../../../renderer/src/map/frame.ts';

describe('map frames', () => {
  it('put local metres on the plane as [north, east] and refuse a mix of frames', () => {
    expect(metricFrame.toLatLng({ x: 120, y: -40 })).toEqual([-40, 120]);
    expect(() => metricFrame.toLatLng({ lat: 1, lon: 2 })).toThrow();
    expect(() => geoFrame.toLatLng({ x: 1, y: 2 })).toThrow();
  });

  it('offset by true metres on the globe, at any latitude (checked against the exact ECEF tangent plane)', () => {
    for (const lat of [0, 38.6, 60, -45]) {
      const frame = new LocalFrame({ lat, lon: 10 });
      const [eLat, eLon] = geoFrame.offset([lat, 10], { east: 500, north: 0 });
      const east = frame.toLocal({ lat: eLat, lon: eLon });
      expect(east.x).toBeCloseTo(500, 1);
      expect(east.y).toBeCloseTo(0, 1);
      const [sLat, sLon] = geoFrame.offset([lat, 10], { east: 0, north: -500 });
      const south = frame.toLocal({ lat: sLat, lon: sLon });
      expect(south.x).toBeCloseTo(0, 1);
      expect(south.y).toBeCloseTo(-500, 1);
    }
  });

  it('draw the 95 % ellipse with its major axis at the azimuth, clockwise from north', () => {
    const ring = ellipseRing(metricFrame, [0, 0], { semiMajorM: 10, semiMinorM: 2, azimuthDeg: 90 }, 4);
    // t = 0 is the major axis tip: due east for an azimuth of 90 degrees.
    expect(ring[0]![0]).toBeCloseTo(0, 9);
    expect(ring[0]![1]).toBeCloseTo(10, 9);
    const north = ellipseRing(metricFrame, [5, 5], { semiMajorM: 10, semiMinorM: 2, azimuthDeg: 0 }, 4);
    expect(north[0]).toEqual([15, 5]);
    const farthest = Math.max(...north.map(([n, e]) => Math.hypot(n - 5, e - 5)));
    expect(farthest).toBeCloseTo(10, 9);
  });

  it('choose round grid steps', () => {
    expect(gridStep(900)).toBe(200);
    expect(gridStep(60)).toBe(10);
    expect(gridStep(5_000)).toBe(1000);
    expect(gridStep(0)).toBeGreaterThan(0);
  });

  it('measure extents in metres in both frames', () => {
    const plane = extentMetres(metricFrame, [
      [0, 0],
      [300, 400],
    ]);
    expect(plane).toEqual({ centre: [150, 200], widthM: 400, heightM: 300 });
    const a: [number, number] = [38.64, -121.44];
    const b = geoFrame.offset(a, { east: 400, north: 300 });
    const globe = extentMetres(geoFrame, [a, b]);
    expect(globe.widthM).toBeCloseTo(400, -0.5);
    expect(globe.heightM).toBeCloseTo(300, -0.5);
  });
});
