import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { actorName, type Handlers } from '../kernel/handlers.ts';
import { dataPaths } from '../kernel/paths.ts';
import { checkOutsideDataFolder } from '../files/data-folder.ts';
import type { MapService } from './service.ts';

const sha256OfFile = async (file: string): Promise<string> => {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
};

/**
 * An uploaded MBTiles file is kept in the data folder's maps/ under its hash (the setting names
 * it there); files there that the setting no longer names are removed once another is chosen.
 */
async function keepUploadedMap(dataDir: string, uploaded: string): Promise<{ path: string; isNew: boolean }> {
  const dir = dataPaths(dataDir).maps;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${await sha256OfFile(uploaded)}.mbtiles`);
  if (existsSync(path)) return { path, isNew: false };
  renameSync(uploaded, path);
  return { path, isNew: true };
}

function removeUnusedMaps(dataDir: string, keep: string | null): void {
  const dir = dataPaths(dataDir).maps;
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) if (join(dir, f) !== keep) rmSync(join(dir, f), { force: true });
}

export const mapHandlers = (maps: MapService): Handlers<'getMapSettings' | 'setMapSettings' | 'setBaseLayer' | 'getTile'> => ({
  getMapSettings: () => maps.settings(),
  setMapSettings: (ctx, { baseLayer }) => {
    if (baseLayer.kind === 'mbtiles') checkOutsideDataFolder(ctx.core.config.dataDir, baseLayer.path, 'read');
    return maps.set(baseLayer, actorName(ctx));
  },
  setBaseLayer: async (ctx, { baseLayer }) => {
    const actor = actorName(ctx);
    const dataDir = ctx.core.config.dataDir;
    if (baseLayer.kind !== 'mbtiles') {
      const settings = await maps.set(baseLayer, actor);
      removeUnusedMaps(dataDir, null);
      return settings;
    }
    const one = ctx.core.files.takeOneFile(ctx.session.id, baseLayer.file, ['mbtiles']);
    try {
      if (baseLayer.file.kind === 'grant') return await maps.set({ kind: 'mbtiles', path: one.path }, actor);
      const kept = await keepUploadedMap(dataDir, one.path);
      try {
        const settings = await maps.set({ kind: 'mbtiles', path: kept.path }, actor);
        removeUnusedMaps(dataDir, kept.path);
        return settings;
      } catch (e) {
        if (kept.isNew) rmSync(kept.path, { force: true });
        throw e;
      }
    } finally {
      one.release();
    }
  },
  getTile: async (_ctx, { z, x, y }) => ({ tile: await maps.tile(z, x, y) }),
});
