import L from 'leaflet';
import { Fragment } from 'react';
import { Marker, Polygon, Polyline, useMapEvents } from 'react-leaflet';
import { addVertex, closeOpen, moveVertex, removeVertex, type DrawDraft, type LonLat, type Result, type VertexRef } from './draw-geometry.ts';

// Icons made once: react-leaflet calls setIcon whenever the prop changes, which would drop a drag in progress.
const vertexIcon = (extra: string) => L.divIcon({ className: `juris-vertex ${extra}`, iconSize: [12, 12] });
const ICONS = { plain: vertexIcon(''), first: vertexIcon('juris-vertex-first'), selected: vertexIcon('juris-vertex-selected') };

const toLonLat = (ll: L.LatLng): LonLat => {
  const w = ll.wrap();
  return [w.lng, w.lat];
};

export interface DrawLayerProps {
  draft: DrawDraft;
  selected: VertexRef | null;
  onChange: (d: DrawDraft) => void;
  onSelect: (v: VertexRef | null) => void;
  onRefused: (message: string) => void;
}

/**
 * Drawing on Leaflet's own API: a click on the map adds a vertex to the open ring, a click on its
 * first vertex closes it, vertices drag, a right-click removes one and a click selects one (for
 * the Remove vertex button). Every rule lives in draw-geometry.ts.
 */
export function DrawLayer({ draft, selected, onChange, onSelect, onRefused }: DrawLayerProps) {
  const apply = (r: Result<DrawDraft>) => (r.ok ? onChange(r.value) : onRefused(r.error));
  useMapEvents({
    click: (e) => {
      onSelect(null);
      apply(addVertex(draft, toLonLat(e.latlng)));
    },
  });

  const vertex = (ref: VertexRef, p: LonLat, count: number) => {
    const isFirstOpen = ref.polygon === 'open' && ref.index === 0 && count >= 3;
    const isSelected = selected !== null && selected.polygon === ref.polygon && selected.index === ref.index;
    return (
      <Marker
        key={`${ref.polygon}-${ref.index}`}
        position={[p[1], p[0]]}
        icon={isSelected ? ICONS.selected : isFirstOpen ? ICONS.first : ICONS.plain}
        draggable
        keyboard={false}
        title={isFirstOpen ? 'Click to close the polygon' : 'Drag to move, right-click to remove'}
        eventHandlers={{
          click: () => (isFirstOpen ? apply(closeOpen(draft)) : onSelect(ref)),
          drag: (e) => apply(moveVertex(draft, ref, toLonLat((e.target as L.Marker).getLatLng()))),
          contextmenu: () => {
            onSelect(null);
            apply(removeVertex(draft, ref));
          },
        }}
      />
    );
  };

  return (
    <>
      {draft.polygons.map((ring, i) => (
        <Fragment key={`poly-${i}`}>
          <Polygon positions={ring.map(([x, y]) => [y, x] as [number, number])} className="juris-draft" interactive={false} />
          {ring.map((p, j) => vertex({ polygon: i, index: j }, p, ring.length))}
        </Fragment>
      ))}
      {draft.open.length > 1 && (
        <Polyline positions={draft.open.map(([x, y]) => [y, x] as [number, number])} className="juris-draft-open" interactive={false} />
      )}
      {draft.open.map((p, j) => vertex({ polygon: 'open', index: j }, p, draft.open.length))}
    </>
  );
}
