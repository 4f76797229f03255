import 'leaflet/dist/leaflet.css';
import './map.css';
import L from 'leaflet';
import { useMemo, type ReactNode } from 'react';
import { MapContainer, ScaleControl } from 'react-leaflet';
import type { AlertDetail } from '../../../src/contract/index.ts';
import { formatMetres } from '../ui/format.ts';
import { BaseLayer } from './BaseLayer.tsx';
import { DistanceRings } from './DistanceRings.tsx';
import { FitView } from './FitView.tsx';
import { hasTiles, type Basemap } from './basemap.ts';
import { frameFor } from './frame.ts';
import { MetricGrid } from './MetricGrid.tsx';
import { SensorMarkers } from './SensorMarkers.tsx';
import { SourceMarkers } from './SourceMarkers.tsx';
import { unlocatedRounds } from './unlocated.ts';
import { UnlocatedRounds } from './UnlocatedRounds.tsx';
import { useBasemap } from './useBasemap.ts';
import { incidentMapView } from './view.ts';

const PADDING: [number, number] = [28, 28];

/**
 * Sensors (participating ones filled), the located source and its 95 % ellipse, a metric grid
 * and a scale bar. Works with no tile server; WGS84 alerts on Web Mercator, local-metre alerts
 * on a plain metric plane. A new map per alert: Leaflet's CRS is fixed when a map is created.
 */
export function IncidentMap({
  alert,
  basemap: given,
  sources,
  legend,
  large,
}: {
  alert: AlertDetail;
  basemap?: Basemap;
  /** Layers that draw the sources instead of the newest solution's (the re-location draws machine and reviewer fixes). */
  sources?: ReactNode;
  /** Legend entries for those layers. */
  legend?: ReactNode;
  /** The view that can show the map large (over the tracks) offers the switch on the map. */
  large?: { on: boolean; toggle(): void };
}) {
  const configured = useBasemap();
  const basemap = given ?? configured;
  const frame = frameFor(alert.coordinates);
  const shots = alert.solutions.at(-1)?.shots ?? [];
  const unlocated = useMemo(() => unlocatedRounds(alert.solutions), [alert.solutions]);

  const view = useMemo(() => incidentMapView(alert, frame), [alert, frame]);

  if (!view) return <div className="incident-map incident-map-empty">No positions to show</div>;
  const metric = frame.kind === 'metric';
  return (
    <div className="incident-map-box" data-testid="incident-map" data-frame={frame.kind}>
      <MapContainer
        className="incident-map"
        crs={metric ? L.CRS.Simple : L.CRS.EPSG3857}
        bounds={view.bounds}
        boundsOptions={{ padding: PADDING }}
        minZoom={metric ? -14 : 3}
        maxZoom={metric ? 6 : 21}
        zoomSnap={0.25}
        attributionControl={hasTiles(basemap)}
      >
        <FitView bounds={view.bounds} padding={PADDING} />
        <BaseLayer basemap={basemap} frame={frame} />
        <MetricGrid frame={frame} grid={view.grid} />
        {shots[0] && <DistanceRings shot={shots[0]} tracks={alert.tracks} frame={frame} />}
        <SensorMarkers tracks={alert.tracks} frame={frame} />
        {sources ?? <SourceMarkers shots={shots} frame={frame} />}
        {unlocated.length > 0 && <UnlocatedRounds candidates={unlocated} frame={frame} />}
        <ScaleControl position="bottomleft" imperial={false} />
      </MapContainer>
      <div className="map-legend">
        <span className="legend-used">sensor used</span>
        <span className="legend-unused">not used</span>
        {legend ?? <span className="legend-source">source, 95 % ellipse</span>}
        {shots.some((s) => s.setAside) && (
          <span className="legend-set-aside" data-testid="legend-set-aside">
            ruled out (hover: why)
          </span>
        )}
        {unlocated.length > 0 && (
          <span className="legend-unlocated" data-testid="legend-unlocated">
            rounds not located: near this line (hover: why)
          </span>
        )}
        {shots[0] && <span className="legend-ring">distance from the source</span>}
        <span>
          grid {formatMetres(view.grid.stepM)}
          {metric && ', local metres'}
        </span>
        {large && (
          <button
            type="button"
            className="map-size"
            data-testid="map-size"
            aria-pressed={large.on}
            onClick={large.toggle}
            title="Map large over the tracks, or back (V)"
          >
            {large.on ? 'Smaller map' : 'Larger map'} <kbd>V</kbd>
          </button>
        )}
      </div>
    </div>
  );
}
