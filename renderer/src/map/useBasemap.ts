import { NO_BASEMAP, type Basemap } from './basemap.ts';

/**
 * The base tiles this seat should draw under incident maps. None for now: the plain plane works
 * everywhere. The place to read the configured tile source (settings, an MBTiles file the core
 * serves) once the contract has it; every map takes it from here.
 */
export function useBasemap(): Basemap {
  return NO_BASEMAP;
}
