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
import { ellipseRing, extentMetres, frameFor, gridStep, type LatLng } from './frame.ts';
import { MetricGrid } from './MetricGrid.tsx';
import { SensorMarkers } from './SensorMarkers.tsx';
import { SourceMarkers } from './SourceMarkers.tsx';
import { useBasemap } from './useBasemap.ts';

/** The smallest area the map opens on, so one sensor or a tight cluster is not shown at street-corner zoom. */
const MIN_VIEW_M = 300;
const PADDING: [number, number] = [28, 28];

/**
 * Sensors (participating ones filled), the located source and its 95 % ellipse, a metric grid
 * and a scale bar. Works with no tile server; WGS84 alerts on Web Mercator, local-metre alerts
 * on a plain metric plane. A new map per alert: Leaflet's CRS is fixed when a map is created.
 */
export function IncidentMap({ alert, basemap: given, sources, legend }: {
  alert: AlertDetail;
  basemap?: Basemap;
  /** Layers that draw the sources instead of the newest solution's (the re-location draws machine and reviewer fixes). */
  sources?: ReactNode;
  /** Legend entries for those layers. */
  legend?: ReactNode;
}) {
  const configured = useBasemap();
  const basemap = given ?? configured;
  const frame = frameFor(alert.coordinates);
  const shots = alert.solutions.at(-1)?.shots ?? [];

  const view = useMemo(() => {
    const shots = alert.solutions.at(-1)?.shots ?? [];
    const sensors = alert.tracks.map((t) => frame.toLatLng(t.position));
    const sources = shots.flatMap((s) => [s.position, ...(s.alternative ? [s.alternative.position] : [])]).map((p) => frame.toLatLng(p));
    const core = [...sensors, ...sources];
    if (core.length === 0) return null;
    const base = extentMetres(frame, core);
    // An ellipse joins the view only when it is of the network's size: a runaway one would zoom everything away.
    const limit = Math.max(base.widthM, base.heightM, MIN_VIEW_M) * 2;
    const rings = shots.flatMap((s) => (s.ellipse95 && s.ellipse95.semiMajorM < limit ? ellipseRing(frame, frame.toLatLng(s.position), s.ellipse95, 16) : []));
    const all = extentMetres(frame, [...core, ...rings]);
    const halfW = Math.max(all.widthM, MIN_VIEW_M) / 2;
    const halfH = Math.max(all.heightM, MIN_VIEW_M) / 2;
    const bounds: [LatLng, LatLng] = [frame.offset(all.centre, { east: -halfW, north: -halfH }), frame.offset(all.centre, { east: halfW, north: halfH })];
    const stepM = gridStep(Math.max(halfW, halfH) * 2);
    return { bounds, grid: { centre: roundCentre(all.centre, frame.kind, stepM), stepM, halfSpanM: Math.max(halfW, halfH) * 4 } };
  }, [alert, frame]);

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
        <ScaleControl position="bottomleft" imperial={false} />
      </MapContainer>
      <div className="map-legend">
        <span className="legend-used">sensor used</span>
        <span className="legend-unused">not used</span>
        {legend ?? <span className="legend-source">source, 95 % ellipse</span>}
        {shots[0] && <span className="legend-ring">distance from the source</span>}
        <span>
          grid {formatMetres(view.grid.stepM)}
          {metric && ', local metres'}
        </span>
      </div>
    </div>
  );
}

/** On the metric plane the grid passes through round coordinates; on the globe through the view's centre. */
function roundCentre(c: LatLng, kind: 'geo' | 'metric', stepM: number): LatLng {
  return kind === 'metric' ? [Math.round(c[0] / stepM) * stepM, Math.round(c[1] / stepM) * stepM] : c;
}
