import { useEffect, useState } from 'react';
import { useClient } from '../client/context.tsx';
import type { Basemap } from './basemap.ts';
import { watchMapSettings } from './tile-layer.ts';

/** The base layer every map of this seat draws: follows the map settings live (mapSettingsChanged). */
export function useBasemap(): Basemap {
  const client = useClient();
  const [settings, setSettings] = useState<Basemap>(null);
  useEffect(() => watchMapSettings(client, setSettings), [client]);
  return settings;
}
