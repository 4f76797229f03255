import type { LatLngBoundsExpression, PointExpression } from 'leaflet';
import { useEffect } from 'react';
import { useMap } from 'react-leaflet';

/**
 * Keeps the incident in view: Leaflet measures its box once, and the layout settles (or the
 * window resizes) after the map is made. Refits to the incident on every resize until the
 * reviewer pans or zooms; after that, only tells Leaflet its new size.
 */
export function FitView({ bounds, padding }: { bounds: LatLngBoundsExpression; padding: PointExpression }) {
  const map = useMap();
  useEffect(() => {
    let fitting = false;
    let userMoved = false;
    const fit = () => {
      fitting = true;
      map.invalidateSize({ pan: false });
      map.fitBounds(bounds, { padding, animate: false });
      fitting = false;
    };
    const onMoveStart = () => {
      if (!fitting) userMoved = true;
    };
    map.on('dragstart zoomstart', onMoveStart);
    const observer = new ResizeObserver(() => (userMoved ? map.invalidateSize({ pan: false }) : fit()));
    observer.observe(map.getContainer());
    return () => {
      observer.disconnect();
      map.off('dragstart zoomstart', onMoveStart);
    };
  }, [map, bounds, padding]);
  return null;
}
