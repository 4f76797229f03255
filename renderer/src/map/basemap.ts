/**
 * What lies under the incident map. Review rooms often have no internet, so the default is
 * none: a plain background with a metric grid and a scale bar. A tile source (an MBTiles file
 * served by the core, or a URL template of an agency's own tile server) plugs in here;
 * tiles only apply to WGS84 alerts, local-metre alerts keep the plain metric plane.
 */
export type Basemap =
  | { kind: 'none' }
  | {
      kind: 'tiles';
      /** Leaflet URL template, e.g. `/tiles/city/{z}/{x}/{y}.png` or an agency server. */
      urlTemplate: string;
      attribution: string;
      minZoom?: number;
      maxZoom?: number;
    };

export const NO_BASEMAP: Basemap = { kind: 'none' };
