import { describe, expect, it } from 'vitest';
import { GEOJSON_MAX_BYTES } from '../../../src/contract/index.ts';
import { multiPolygonContains } from '../../../src/publish/geometry.ts';
import { MAX_VERTICES, parseJurisdiction } from '../../../src/publish/geojson.ts';
import { isUserError } from '../../../src/util/errors.ts';
import { CITY, squareJurisdiction, squareRing } from '../../support/publish-fixtures.ts';

const refusal = (text: string): string => {
  try {
    parseJurisdiction(text);
  } catch (e) {
    expect(isUserError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
};
const poly = (...rings: unknown[][][]) => JSON.stringify({ type: 'Polygon', coordinates: rings });

describe('jurisdiction GeoJSON', () => {
  it('reads a Feature with a hole and routes by it: inside, in the hole, outside, on the edge', () => {
    const j = parseJurisdiction(squareJurisdiction(CITY, 0.1, { hole: 0.02, name: 'Midtown PD' }));
    expect(j).toMatchObject({ sourceType: 'Polygon', polygons: 1, holes: 1, vertices: 10, name: 'Midtown PD' });
    const at = (dLat: number, dLon: number): [number, number] => [CITY.lon + dLon, CITY.lat + dLat];
    expect(multiPolygonContains(j.geometry.coordinates, at(0.05, 0.05))).toBe(true);
    expect(multiPolygonContains(j.geometry.coordinates, at(0, 0))).toBe(false); // in the hole
    expect(multiPolygonContains(j.geometry.coordinates, at(0.2, 0))).toBe(false);
    expect(multiPolygonContains(j.geometry.coordinates, at(0.1, 0))).toBe(true); // on the boundary: better two agencies than none
  });

  it('merges a FeatureCollection of polygons and multipolygons', () => {
    const other = { lat: CITY.lat + 1, lon: CITY.lon };
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [squareRing(CITY, 0.1)] } },
        { type: 'Feature', properties: null, geometry: { type: 'MultiPolygon', coordinates: [[squareRing(other, 0.1)]] } },
      ],
    };
    const j = parseJurisdiction(JSON.stringify(fc));
    expect(j).toMatchObject({ sourceType: 'MultiPolygon', polygons: 2, holes: 0 });
    expect(multiPolygonContains(j.geometry.coordinates, [other.lon, other.lat])).toBe(true);
    expect(j.bbox[3]).toBeCloseTo(other.lat + 0.1, 9);
  });

  it('accepts the WGS84 crs member and either winding order', () => {
    const cw = squareRing(CITY, 0.1).reverse();
    expect(
      parseJurisdiction(JSON.stringify({ type: 'Polygon', coordinates: [cw], crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } } }))
        .polygons,
    ).toBe(1);
  });

  it.each([
    ['not JSON', '{"type": "Polygon", ', /not JSON/],
    ['a JSON array', '[1, 2]', /top level must be a GeoJSON object/],
    ['a Point', JSON.stringify({ type: 'Point', coordinates: [0, 0] }), /only Polygon or MultiPolygon/],
    ['a GeometryCollection', JSON.stringify({ type: 'GeometryCollection', geometries: [] }), /only Polygon or MultiPolygon/],
    ['an empty FeatureCollection', JSON.stringify({ type: 'FeatureCollection', features: [] }), /at least one feature/],
    ['a Feature without geometry', JSON.stringify({ type: 'Feature', properties: {}, geometry: null }), /geometry object is required/],
    ['an open ring', poly(squareRing(CITY, 0.1).slice(0, 4)), /not closed/],
    [
      'a ring of three positions',
      poly([
        [0, 0],
        [1, 0],
        [0, 0],
      ]),
      /at least 4 positions/,
    ],
    [
      'a degenerate ring',
      poly([
        [0, 0],
        [1, 1],
        [2, 2],
        [0, 0],
      ]),
      /no area/,
    ],
    [
      'latitude out of range',
      poly([
        [0, 0],
        [1, 0],
        [1, 95],
        [0, 0],
      ]),
      /outside longitude/,
    ],
    [
      'projected metres',
      poly([
        [630084, 4833438],
        [630184, 4833438],
        [630184, 4833538],
        [630084, 4833438],
      ]),
      /projected coordinates/,
    ],
    [
      'a string coordinate',
      poly([
        [0, 0],
        ['1', 0],
        [1, 1],
        [0, 0],
      ]),
      /finite numbers/,
    ],
    ['a null coordinate', '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,null],[0,0]]]}', /finite numbers/],
    [
      'four numbers in a position',
      poly([
        [0, 0, 0, 0],
        [1, 0],
        [1, 1],
        [0, 0, 0, 0],
      ]),
      /a position is/,
    ],
    [
      'a bow tie',
      poly([
        [0, 0],
        [1, 1],
        [1, 0],
        [0, 1],
        [0, 0],
      ]),
      /crosses itself/,
    ],
    [
      'a lopsided bow tie',
      poly([
        [0, 0],
        [2, 2],
        [2, 0],
        [0, 1],
        [0, 0],
      ]),
      /crosses itself \(edges 1 and 3\)/,
    ],
    ['a hole outside its shell', poly(squareRing(CITY, 0.1), squareRing({ lat: CITY.lat + 1, lon: CITY.lon }, 0.01)), /hole lies outside/],
    ['a hole crossing its shell', poly(squareRing(CITY, 0.1), squareRing({ lat: CITY.lat + 0.1, lon: CITY.lon }, 0.02)), /cross/],
    [
      'another CRS',
      JSON.stringify({ type: 'Polygon', coordinates: [squareRing(CITY, 0.1)], crs: { type: 'name', properties: { name: 'EPSG:3857' } } }),
      /only WGS84/,
    ],
    [
      'an antimeridian crossing',
      poly([
        [179, 0],
        [-179, 0],
        [-179, 1],
        [179, 1],
        [179, 0],
      ]),
      /antimeridian/,
    ],
  ])('refuses %s with a message naming the problem', (_name, text, pattern) => {
    expect(refusal(text)).toMatch(pattern);
  });

  it('names where the problem is', () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [squareRing(CITY, 0.1)] } },
        {
          type: 'Feature',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 0],
                [1, 'x'],
                [0, 0],
              ],
            ],
          },
        },
      ],
    };
    expect(refusal(JSON.stringify(fc))).toMatch(/features\[1\]\.geometry\.coordinates\[0\]\[2\]/);
  });

  it('refuses a file over the size cap before parsing it', () => {
    const huge = `{"type":"Polygon","coordinates":[[${'[0,0],'.repeat(GEOJSON_MAX_BYTES / 6 + 10)}[0,0]]]}`;
    expect(refusal(huge)).toMatch(/larger than/);
  });

  it('refuses more vertices than the cap, even within the byte cap', () => {
    // Integer vertices are few bytes each, so the vertex cap is what stops it, not the byte cap.
    const ring = [...Array.from({ length: 119 }, (_, i) => [i - 60, 10]), [58, 11], [-60, 11], [-60, 10]];
    const text = JSON.stringify({ type: 'MultiPolygon', coordinates: Array(Math.ceil(MAX_VERTICES / ring.length) + 1).fill([ring]) });
    expect(text.length).toBeLessThan(GEOJSON_MAX_BYTES);
    expect(refusal(text)).toMatch(/more than the 200000 allowed/);
  });

  it('does not let hostile keys reach any object', () => {
    const text =
      '{"type":"Feature","__proto__":{"polluted":1},"properties":{"name":"X","constructor":{"prototype":{"bad":1}}},"geometry":' +
      poly(squareRing(CITY, 0.1)) +
      '}';
    parseJurisdiction(text);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).bad).toBeUndefined();
  });
});
