import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useMemo } from 'react';
import { CircleMarker, MapContainer, Polygon, ScaleControl, Tooltip } from 'react-leaflet';
import type { EarwitnessClient, MethodOutput } from '../../../src/contract/index.ts';
import { ClientProvider } from '../client/context.tsx';
import { BaseLayer } from '../map/BaseLayer.tsx';
import { hasTiles } from '../map/basemap.ts';
import { FitView } from '../map/FitView.tsx';
import { geoFrame } from '../map/frame.ts';
import { useBasemap } from '../map/useBasemap.ts';
import type { DrawDraft, VertexRef } from './draw-geometry.ts';
import { DrawLayer } from './DrawLayer.tsx';

export type Jurisdictions = MethodOutput<'listJurisdictions'>;

/** Colours told apart on the dark and the light theme; overlapping fills add up, so overlaps read darker. */
export const AGENCY_COLOURS = ['#5aa2f0', '#e0a43a', '#3fb96f', '#c77dde', '#ec5b5b', '#4fc7c0', '#d6d05a', '#f08a5a'];
export const agencyColour = (index: number): string => AGENCY_COLOURS[index % AGENCY_COLOURS.length]!;

const PADDING: [number, number] = [24, 24];

export interface JurisdictionMapProps {
  client: EarwitnessClient;
  data: Jurisdictions | null;
  /** The agency whose outline is being redrawn: its stored outline is shown faint. */
  editingId: number | null;
  /** Present while drawing. */
  drawing: {
    draft: DrawDraft;
    selected: VertexRef | null;
    onChange: (d: DrawDraft) => void;
    onSelect: (v: VertexRef | null) => void;
    onRefused: (m: string) => void;
  } | null;
}

/** The map of every agency's jurisdiction and the network's sensors, with the drawing tools on top. Works with no tile server. */
export function JurisdictionMap(props: JurisdictionMapProps) {
  // The desk may sit outside the app's provider (the e2e harness); the base layer asks the context for the client.
  return (
    <ClientProvider client={props.client}>
      <MapBody {...props} />
    </ClientProvider>
  );
}

function MapBody({ data, editingId, drawing }: JurisdictionMapProps) {
  const basemap = useBasemap();
  // Layers are keyed on drawing because Leaflet takes `interactive` only when a layer is made.
  // Fit to what is stored, not to the drawing: the view must not jump while an admin clicks vertices.
  const bounds = useMemo(() => {
    if (!data) return null;
    const points: [number, number][] = [];
    for (const a of data.agencies) for (const p of a.coordinates) for (const [lon, lat] of p[0] ?? []) points.push([lat, lon]);
    for (const s of data.sensors) points.push([s.lat, s.lon]);
    if (points.length === 0) return null;
    // L.latLngBounds extends point by point: no spread of 200 000 arguments.
    const b = L.latLngBounds(points);
    return b.getNorthEast().equals(b.getSouthWest()) ? b.pad(0.01) : b;
  }, [data]);

  return (
    <div className="juris-map-box" data-testid="jurisdiction-map" data-drawing={drawing ? 'true' : 'false'}>
      <MapContainer
        className={`juris-map${drawing ? ' juris-map-drawing' : ''}`}
        center={[20, 0]}
        zoom={2}
        minZoom={2}
        maxZoom={19}
        zoomSnap={0.25}
        doubleClickZoom={false}
        attributionControl={hasTiles(basemap)}
      >
        {bounds && <FitView bounds={bounds} padding={PADDING} />}
        <BaseLayer basemap={basemap} frame={geoFrame} />
        {data?.agencies.map((a, i) => (
          <Polygon
            key={`${drawing ? 'd' : 'v'}-${a.id}-${a.coordinates.length}-${a.coordinates[0]?.[0]?.length ?? 0}-${a.coordinates[0]?.[0]?.[0]?.join(',') ?? ''}`}
            positions={a.coordinates.map((poly) => poly.map((ring) => ring.map(([lon, lat]) => [lat, lon] as [number, number])))}
            pathOptions={{
              color: agencyColour(i),
              fillColor: agencyColour(i),
              fillOpacity: a.id === editingId ? 0.04 : 0.18,
              weight: 2,
              opacity: a.id === editingId ? 0.4 : 1,
              dashArray: a.id === editingId ? '4 4' : undefined,
            }}
            className="juris-agency"
            interactive={!drawing}
          >
            <Tooltip permanent direction="center" className="juris-label">
              {a.name}
            </Tooltip>
          </Polygon>
        ))}
        {data?.sensors.map((s) => (
          <CircleMarker
            key={`${drawing ? 'd' : 'v'}-${s.source}/${s.sensorId}`}
            center={[s.lat, s.lon]}
            radius={3}
            className="juris-sensor"
            weight={1}
            interactive={!drawing}
          >
            <Tooltip direction="top">
              {s.sensorId} · {s.source} · {s.alerts} alert{s.alerts === 1 ? '' : 's'}
            </Tooltip>
          </CircleMarker>
        ))}
        {drawing && <DrawLayer {...drawing} />}
        <ScaleControl position="bottomleft" imperial={false} />
      </MapContainer>
      <div className="juris-legend">
        {data?.agencies.map((a, i) => (
          <span key={a.id}>
            <i style={{ background: agencyColour(i) }} />
            {a.name}
          </span>
        ))}
        {data && data.sensors.length > 0 && (
          <span>
            <i className="juris-legend-sensor" />
            sensor ({data.sensors.length}
            {data.sensorsTruncated ? '+' : ''})
          </span>
        )}
        {data && data.agencies.length === 0 && <span className="dim">no jurisdictions yet</span>}
      </div>
    </div>
  );
}
