import Database from 'better-sqlite3';
import { solidPng, tileColour } from './png.ts';

export interface MbtilesFixture {
  /** metadata rows; defaults to a small raster set. Pass null to leave the metadata table out. */
  metadata?: Record<string, string> | null;
  /** Tiles to write, keyed by XYZ coordinates; the fixture flips rows to TMS as the format demands. */
  tiles?: { z: number; x: number; y: number; data: Buffer }[];
}

/** Every tile of zoom levels 0..maxZoom, each a PNG of its own colour (tileColour). */
export function colouredTiles(maxZoom: number, size = 256): { z: number; x: number; y: number; data: Buffer }[] {
  const out = [];
  for (let z = 0; z <= maxZoom; z++) {
    for (let x = 0; x < 2 ** z; x++) for (let y = 0; y < 2 ** z; y++) out.push({ z, x, y, data: solidPng(tileColour(z, x, y), size) });
  }
  return out;
}

/**
 * Writes an MBTiles file as the MBTiles 1.3 spec lays it out (metadata table, tiles table with
 * TMS rows and its unique index), the way tools like tippecanoe or gdal write them. Test fixture
 * code: the app itself only ever reads these files (src/store/mbtiles.ts).
 */
export function writeMbtiles(file: string, f: MbtilesFixture = {}): void {
  const db = new Database(file);
  try {
    db.exec('CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)');
    db.exec('CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)');
    const meta =
      f.metadata === undefined
        ? { name: 'Test tiles', format: 'png', minzoom: '0', maxzoom: '2', bounds: '-180,-85.0511,180,85.0511', attribution: 'Test data' }
        : f.metadata;
    if (meta) {
      db.exec('CREATE TABLE metadata (name TEXT, value TEXT)');
      const put = db.prepare('INSERT INTO metadata (name, value) VALUES (?, ?)');
      for (const [k, v] of Object.entries(meta)) put.run(k, v);
    }
    const put = db.prepare('INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (const t of f.tiles ?? colouredTiles(2, 16)) put.run(t.z, t.x, 2 ** t.z - 1 - t.y, t.data);
    })();
  } finally {
    db.close();
  }
}
