import { describe, expect, it } from 'vitest';
import {
  addVertex,
  closeOpen,
  draftFromMultiPolygon,
  draftProblems,
  draftToGeoJson,
  emptyDraft,
  findSelfIntersection,
  inWgs84Bounds,
  MAX_DRAWN_VERTICES,
  moveVertex,
  removePolygon,
  removeVertex,
  ringProblem,
  type DrawDraft,
  type LonLat,
} from '../../../renderer/src/publish/draw-geometry.ts';
import { parseJurisdiction } from '../../../src/publish/geojson.ts';

const value = <T>(r: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(`expected ok, got: ${r.error}`);
  return r.value;
};
const error = (r: { ok: boolean; error?: string }): string => {
  if (r.ok) throw new Error('expected a refusal');
  return r.error!;
};
const draw = (...points: LonLat[]): DrawDraft => points.reduce((d, p) => value(addVertex(d, p)), emptyDraft());
// Clockwise on purpose: the GeoJSON must come out counter-clockwise.
const TRIANGLE: LonLat[] = [
  [-121.5, 38.6],
  [-121.45, 38.7],
  [-121.4, 38.6],
];

describe('drawing a jurisdiction', () => {
  it('closes a triangle into a polygon whose GeoJSON the core accepts, closed and counter-clockwise', () => {
    const d = value(closeOpen(draw(...TRIANGLE)));
    expect(d).toEqual({ polygons: [TRIANGLE], open: [] });
    expect(draftProblems(d)).toEqual([]);
    const geo = JSON.parse(draftToGeoJson(d)) as { type: string; coordinates: number[][][][] };
    expect(geo.type).toBe('MultiPolygon');
    const ring = geo.coordinates[0]![0]!;
    expect(ring).toHaveLength(4);
    expect(ring[0]).toEqual(ring[3]);
    expect(ring).toEqual([TRIANGLE[2], TRIANGLE[1], TRIANGLE[0], TRIANGLE[2]]);
    const j = parseJurisdiction(draftToGeoJson(d));
    expect(j).toMatchObject({ polygons: 1, holes: 0, vertices: 4, bbox: [-121.5, 38.6, -121.4, 38.7] });
  });

  it('allows several polygons, each closed on its own, and removing one', () => {
    let d = value(closeOpen(draw(...TRIANGLE)));
    for (const p of [
      [-120, 38],
      [-119.9, 38],
      [-119.9, 38.1],
      [-120, 38.1],
    ] as LonLat[])
      d = value(addVertex(d, p));
    d = value(closeOpen(d));
    expect(d.polygons).toHaveLength(2);
    expect(parseJurisdiction(draftToGeoJson(d)).polygons).toBe(2);
    expect(removePolygon(d, 0).polygons).toEqual([d.polygons[1]]);
  });

  it.each([
    [
      'two vertices',
      [
        [0, 0],
        [1, 1],
      ],
      /at least 3 different vertices/,
    ],
    [
      'three vertices on one line',
      [
        [0, 0],
        [1, 1],
        [2, 2],
      ],
      /crosses itself|no area/,
    ],
    [
      'a bow tie',
      [
        [0, 0],
        [2, 2],
        [2, 0],
        [0, 2],
      ],
      /crosses itself \(edges 1 and 3\)/,
    ],
    [
      'a vertex twice',
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [1, 0],
      ],
      /same spot/,
    ],
    [
      'an outline touching itself at a vertex',
      [
        [0, 0],
        [4, 0],
        [4, 4],
        [2, 0],
        [0, 4],
      ],
      /crosses itself/,
    ],
    [
      'a spike folding back on its edge',
      [
        [0, 0],
        [4, 0],
        [2, 0],
        [2, 3],
      ],
      /crosses itself/,
    ],
  ] as [string, LonLat[], RegExp][])('refuses to close %s and keeps the drawing open', (_what, points, message) => {
    const d = draw(...points);
    expect(error(closeOpen(d))).toMatch(message);
    expect(draftProblems(d)).toContain('close or clear the polygon being drawn');
  });

  it('keeps vertices inside WGS84 as Web Mercator shows it', () => {
    expect(inWgs84Bounds([-180, 85])).toBe(true);
    expect(inWgs84Bounds([180.0001, 0])).toBe(false);
    expect(inWgs84Bounds([0, -86])).toBe(false);
    expect(inWgs84Bounds([Number.NaN, 0])).toBe(false);
    expect(error(addVertex(emptyDraft(), [200, 10]))).toMatch(/outside longitude/);
    expect(error(moveVertex(draw([0, 0]), { polygon: 'open', index: 0 }, [0, 90]))).toMatch(/outside/);
  });

  it('moves a vertex; a move that makes a polygon cross itself blocks saving and says which', () => {
    const square: LonLat[] = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ];
    const d = value(closeOpen(draw(...square)));
    const nudged = value(moveVertex(d, { polygon: 0, index: 2 }, [1.5, 1.5]));
    expect(nudged.polygons[0]![2]).toEqual([1.5, 1.5]);
    expect(draftProblems(nudged)).toEqual([]);
    const crossed = value(moveVertex(d, { polygon: 0, index: 1 }, [0, 2]));
    expect(draftProblems(crossed)).toEqual([expect.stringMatching(/polygon 1: the outline crosses itself/)]);
  });

  it('removes a vertex, but never below a triangle', () => {
    const d = value(closeOpen(draw([0, 0], [1, 0], [1, 1], [0, 1])));
    const three = value(removeVertex(d, { polygon: 0, index: 3 }));
    expect(three.polygons[0]).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
    ]);
    expect(error(removeVertex(three, { polygon: 0, index: 0 }))).toMatch(/remove the whole polygon/);
    expect(value(removeVertex(draw([0, 0], [1, 1]), { polygon: 'open', index: 0 })).open).toEqual([[1, 1]]);
  });

  it('caps the number of drawn vertices', () => {
    const big: DrawDraft = { polygons: [Array.from({ length: MAX_DRAWN_VERTICES }, (_, i): LonLat => [Math.cos(i), Math.sin(i)])], open: [] };
    expect(error(addVertex(big, [0, 0]))).toMatch(/at most 2000/);
  });

  it('loads a stored jurisdiction for editing, refusing holes and huge outlines', () => {
    const stored = [
      [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
      ],
    ];
    expect(value(draftFromMultiPolygon(stored))).toEqual({
      polygons: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
        ],
      ],
      open: [],
    });
    expect(
      error(
        draftFromMultiPolygon([
          [
            [
              [0, 0],
              [3, 0],
              [3, 3],
              [0, 0],
            ],
            [
              [1, 0.5],
              [2, 0.5],
              [2, 1],
              [1, 0.5],
            ],
          ],
        ]),
      ),
    ).toMatch(/holes/);
    const huge = [[Array.from({ length: MAX_DRAWN_VERTICES + 2 }, (_, i) => [Math.cos(i), Math.sin(i)])]];
    expect(error(draftFromMultiPolygon(huge))).toMatch(/vertices/);
  });

  it('finds no crossing in a convex or concave simple outline', () => {
    expect(
      findSelfIntersection([
        [0, 0],
        [4, 0],
        [4, 4],
        [2, 1],
        [0, 4],
      ]),
    ).toBeNull();
    expect(
      ringProblem([
        [0, 0],
        [4, 0],
        [4, 4],
        [2, 1],
        [0, 4],
      ]),
    ).toBeNull();
  });
});
