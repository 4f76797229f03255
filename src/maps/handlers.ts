import { actorName, type Handlers } from '../core/handlers.ts';
import type { MapService } from './service.ts';

export const mapHandlers = (maps: MapService): Handlers<'getMapSettings' | 'setMapSettings' | 'getTile'> => ({
  getMapSettings: () => maps.settings(),
  setMapSettings: (ctx, { baseLayer }) => maps.set(baseLayer, actorName(ctx)),
  getTile: async (_ctx, { z, x, y }) => ({ tile: await maps.tile(z, x, y) }),
});
