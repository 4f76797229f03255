import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { statSync } from 'node:fs';
import { UserError } from '../util/errors.ts';

/** A tile bigger than this is not a map tile; refusing it keeps a hostile file from filling memory. */
export const MAX_TILE_BYTES = 4 * 1024 * 1024;
/** XYZ zoom levels any web map uses; deeper levels would overflow tile numbers. */
export const MAX_ZOOM = 24;

export type RasterFormat = 'png' | 'jpg' | 'webp';

export interface MbtilesInfo {
  name: string;
  attribution: string;
  format: RasterFormat;
  minZoom: number;
  maxZoom: number;
  /** West, south, east, north in degrees, or null when the file does not say (or says nonsense). */
  bounds: [number, number, number, number] | null;
}

export interface RasterTile {
  mime: string;
  bytes: Buffer;
}

const MIME: Record<RasterFormat, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };

/** The image type from the first bytes, which beat a file's own claim in its metadata. */
export function sniffRasterFormat(b: Uint8Array): RasterFormat | null {
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpg';
  if (b.length >= 12 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP') return 'webp';
  return null;
}

/** XYZ rows count from the top (north); MBTiles keeps TMS rows, counted from the bottom. */
export const tmsRow = (z: number, y: number): number => 2 ** z - 1 - y;

function bad(path: string, why: string): UserError {
  return new UserError('bad_file', `${path} is not a usable MBTiles file: ${why}`);
}

function parseBounds(text: string | undefined): MbtilesInfo['bounds'] {
  if (!text) return null;
  const n = text.split(',').map((p) => Number(p.trim()));
  if (n.length !== 4 || n.some((v) => !Number.isFinite(v))) return null;
  const [w, s, e, north] = n as [number, number, number, number];
  if (w < -180 || e > 180 || s < -90 || north > 90 || w >= e || s >= north) return null;
  return [w, s, e, north];
}

function parseZoom(text: string | undefined): number | null {
  if (text === undefined || !/^\s*\d{1,2}\s*$/.test(text)) return null;
  const z = Number(text);
  return z <= MAX_ZOOM ? z : null;
}

/**
 * Reads raster tiles from an MBTiles file (the SQLite format of the MBTiles 1.3 spec: a `tiles`
 * table or view keyed by zoom_level, tile_column, tile_row in TMS order, and a `metadata` table).
 * Opened read-only: the file may sit on a read-only share, and the app never changes it.
 */
export class MbtilesReader {
  private readonly select: Statement<[number, number, number], { tile_data: unknown }>;

  private constructor(
    readonly path: string,
    private readonly db: Db,
    readonly info: MbtilesInfo,
  ) {
    this.select = db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?');
  }

  /** Opens and checks the file; refuses with a clear `bad_file` error (and nothing kept open) if it is not raster MBTiles. */
  static open(path: string): MbtilesReader {
    let isFile: boolean;
    try {
      isFile = statSync(path).isFile();
    } catch {
      throw bad(path, 'the file does not exist or cannot be read');
    }
    if (!isFile) throw bad(path, 'it is a folder, not a file');
    let db: Db;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
    } catch (e) {
      throw bad(path, (e as Error).message);
    }
    try {
      const info = MbtilesReader.inspect(path, db);
      return new MbtilesReader(path, db, info);
    } catch (e) {
      db.close();
      if (e instanceof UserError) throw e;
      // SQLITE_NOTADB and friends: a file with the right name and the wrong bytes.
      throw bad(path, (e as Error).message);
    }
  }

  private static inspect(path: string, db: Db): MbtilesInfo {
    const columns = new Set(
      db
        .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('tiles')")
        .all()
        .map((c) => c.name),
    );
    for (const c of ['zoom_level', 'tile_column', 'tile_row', 'tile_data']) {
      if (!columns.has(c)) throw bad(path, columns.size === 0 ? 'it has no tiles table' : `its tiles table has no ${c} column`);
    }
    const hasMetadata =
      db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE name = 'metadata' AND type IN ('table', 'view')").get()!.n > 0;
    const meta = new Map<string, string>();
    if (hasMetadata) {
      for (const row of db.prepare<[], { name: unknown; value: unknown }>('SELECT name, value FROM metadata').all()) {
        if (typeof row.name === 'string' && row.value !== null && row.value !== undefined) meta.set(row.name, String(row.value));
      }
    }
    const claimed = meta.get('format')?.toLowerCase();
    if (claimed === 'pbf' || claimed === 'mvt') throw bad(path, 'it holds vector tiles (pbf); the map needs raster tiles (png, jpg or webp)');
    const first = db.prepare<[], { tile_data: unknown }>('SELECT tile_data FROM tiles LIMIT 1').get();
    if (!first) throw bad(path, 'it holds no tiles');
    const sniffed = Buffer.isBuffer(first.tile_data) ? sniffRasterFormat(first.tile_data) : null;
    // The bytes decide, not the metadata's claim: many files in the wild say png and hold jpg.
    const format = sniffed;
    if (!format) throw bad(path, 'its tiles are not png, jpg or webp images');
    let minZoom = parseZoom(meta.get('minzoom'));
    let maxZoom = parseZoom(meta.get('maxzoom'));
    if (minZoom === null || maxZoom === null || minZoom > maxZoom) {
      // The index on (zoom_level, tile_column, tile_row) makes these quick even on large files.
      const range = db.prepare<[], { lo: number | null; hi: number | null }>('SELECT min(zoom_level) AS lo, max(zoom_level) AS hi FROM tiles').get()!;
      minZoom = Math.max(0, Math.min(MAX_ZOOM, range.lo ?? 0));
      maxZoom = Math.max(minZoom, Math.min(MAX_ZOOM, range.hi ?? 0));
    }
    return {
      name: meta.get('name')?.slice(0, 200) ?? path.split(/[/\\]/).pop()!,
      attribution: meta.get('attribution')?.slice(0, 500) ?? '',
      format,
      minZoom,
      maxZoom,
      bounds: parseBounds(meta.get('bounds')),
    };
  }

  /** The tile at XYZ z/x/y, or null when the file has none there. */
  tile(z: number, x: number, y: number): RasterTile | null {
    if (!Number.isInteger(z) || z < 0 || z > MAX_ZOOM) return null;
    const n = 2 ** z;
    if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= n || y >= n) return null;
    const row = this.select.get(z, x, tmsRow(z, y));
    if (!row || !Buffer.isBuffer(row.tile_data) || row.tile_data.length === 0) return null;
    const bytes = row.tile_data;
    if (bytes.length > MAX_TILE_BYTES) throw bad(this.path, `the tile ${z}/${x}/${y} is ${bytes.length} bytes, more than a map tile can be`);
    // Bytes that are no image we know (a gzipped vector tile, junk) are no tile for the map.
    const format = sniffRasterFormat(bytes);
    return format ? { mime: MIME[format], bytes } : null;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
