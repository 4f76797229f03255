import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_TILE_BYTES, MbtilesReader, sniffRasterFormat } from '../../../src/store/mbtiles.ts';
import { writeMbtiles } from '../../support/mbtiles.ts';
import { solidPng, tileColour } from '../../support/png.ts';
import { tempDir } from '../../support/temp.ts';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('earwitness-mbtiles-')));
afterEach(() => cleanup());

const open = (f: string) => MbtilesReader.open(f);

describe('MbtilesReader', () => {
  it('serves each XYZ tile with its bytes and mime type, and reads the metadata', () => {
    const file = join(dir, 'ok.mbtiles');
    writeMbtiles(file);
    const r = open(file);
    try {
      expect(r.info).toEqual({ name: 'Test tiles', attribution: 'Test data', format: 'png', minZoom: 0, maxZoom: 2, bounds: [-180, -85.0511, 180, 85.0511] });
      for (const [z, x, y] of [
        [0, 0, 0],
        [1, 0, 0],
        [1, 1, 0],
        [2, 3, 1],
        [2, 0, 3],
      ] as const) {
        const t = r.tile(z, x, y);
        expect(t?.mime).toBe('image/png');
        expect(t?.bytes.equals(solidPng(tileColour(z, x, y), 16))).toBe(true);
      }
    } finally {
      r.close();
    }
  });

  it('flips rows: TMS row 0 is the southern edge, which XYZ calls the last row', () => {
    // Written by hand in TMS order, independent of the reader's own flip.
    const file = join(dir, 'tms.mbtiles');
    const north = solidPng([200, 0, 0], 4);
    const south = solidPng([0, 0, 200], 4);
    const db = new Database(file);
    db.exec('CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB); CREATE TABLE metadata (name TEXT, value TEXT)');
    const put = db.prepare('INSERT INTO tiles VALUES (?, ?, ?, ?)');
    put.run(1, 0, 1, north);
    put.run(1, 0, 0, south);
    db.close();
    const r = open(file);
    expect(r.tile(1, 0, 0)?.bytes.equals(north)).toBe(true);
    expect(r.tile(1, 0, 1)?.bytes.equals(south)).toBe(true);
    r.close();
  });

  it('answers null for tiles it lacks and for coordinates outside the zoom level', () => {
    const file = join(dir, 'ok.mbtiles');
    writeMbtiles(file);
    const r = open(file);
    expect(r.tile(3, 0, 0)).toBeNull();
    expect(r.tile(1, 2, 0)).toBeNull();
    expect(r.tile(1, 0, -1)).toBeNull();
    expect(r.tile(0.5, 0, 0)).toBeNull();
    expect(r.tile(99, 0, 0)).toBeNull();
    r.close();
  });

  it('takes zoom levels from the tiles when the metadata is missing or lies, and detects the format from the bytes', () => {
    const file = join(dir, 'nometa.mbtiles');
    writeMbtiles(file, {
      metadata: null,
      tiles: [
        { z: 3, x: 1, y: 1, data: solidPng([1, 2, 3], 4) },
        { z: 5, x: 0, y: 0, data: solidPng([1, 2, 3], 4) },
      ],
    });
    const r = open(file);
    expect(r.info).toMatchObject({ format: 'png', minZoom: 3, maxZoom: 5, bounds: null, attribution: '' });
    r.close();
    const liar = join(dir, 'liar.mbtiles');
    writeMbtiles(liar, { metadata: { format: 'jpg', minzoom: '9', maxzoom: '2', bounds: '10,20,5,1' } });
    const l = open(liar);
    expect(l.info).toMatchObject({ format: 'png', minZoom: 0, maxZoom: 2, bounds: null });
    l.close();
  });

  it('serves a tile whose bytes are no image as no tile, rather than handing the page junk', () => {
    const file = join(dir, 'junk.mbtiles');
    writeMbtiles(file, {
      tiles: [
        { z: 0, x: 0, y: 0, data: solidPng([0, 0, 0], 4) },
        { z: 1, x: 0, y: 0, data: Buffer.from([0x1f, 0x8b, 8, 0, 0, 0]) },
      ],
    });
    const r = open(file);
    expect(r.tile(1, 0, 0)).toBeNull();
    r.close();
  });

  it('refuses a tile too large to be a map tile', () => {
    const file = join(dir, 'huge.mbtiles');
    const huge = Buffer.concat([solidPng([0, 0, 0], 4), Buffer.alloc(MAX_TILE_BYTES)]);
    writeMbtiles(file, {
      tiles: [
        { z: 0, x: 0, y: 0, data: solidPng([0, 0, 0], 4) },
        { z: 1, x: 1, y: 1, data: huge },
      ],
    });
    const r = open(file);
    expect(() => r.tile(1, 1, 1)).toThrow(/more than a map tile/);
    r.close();
  });

  describe('refuses what is not raster MBTiles, with a clear message', () => {
    const cases: [string, (f: string) => void, RegExp][] = [
      ['a missing file', () => {}, /does not exist/],
      ['a folder', (f) => mkdirSync(f), /folder/],
      [
        'a text file with the right name',
        (f) => writeFileSync(f, 'these are not the tiles you are looking for'.repeat(100)),
        /not a usable MBTiles file: file is not a database/,
      ],
      ['an empty file', (f) => writeFileSync(f, ''), /no tiles table/],
      ['a SQLite file with no tiles table', (f) => new Database(f).exec('CREATE TABLE other (a)').close(), /no tiles table/],
      ['a tiles table missing a column', (f) => new Database(f).exec('CREATE TABLE tiles (zoom_level, tile_column, tile_data)').close(), /no tile_row column/],
      ['a file with no tiles', (f) => writeMbtiles(f, { tiles: [] }), /holds no tiles/],
      ['vector tiles', (f) => writeMbtiles(f, { metadata: { format: 'pbf' } }), /vector tiles/],
      [
        'tiles that are no images',
        (f) => writeMbtiles(f, { metadata: { format: 'png' }, tiles: [{ z: 0, x: 0, y: 0, data: Buffer.from('hello') }] }),
        /not png, jpg or webp/,
      ],
    ];
    for (const [name, make, message] of cases) {
      it(name, () => {
        const file = join(dir, 'bad.mbtiles');
        make(file);
        expect(() => open(file)).toThrow(message);
        try {
          open(file);
        } catch (e) {
          expect((e as { code?: string }).code).toBe('bad_file');
        }
      });
    }
  });

  it('recognises png, jpg and webp by their first bytes', () => {
    expect(sniffRasterFormat(solidPng([0, 0, 0], 1))).toBe('png');
    expect(sniffRasterFormat(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpg');
    expect(sniffRasterFormat(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('webp');
    expect(sniffRasterFormat(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffRasterFormat(new Uint8Array())).toBeNull();
  });
});
