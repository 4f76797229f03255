import L from 'leaflet';
import { useMemo } from 'react';
import { Marker } from 'react-leaflet';
import type { LatLng } from './frame.ts';

/**
 * A permanent text label beside a point, placed by CSS alone (map.css, `.map-label-*`).
 * Leaflet's permanent tooltips measure their box each time they are placed or moved: one forced
 * layout of the whole new view per label, which was most of Leaflet's time on the way from N to a
 * drawn alert. This one never reads the layout. The text goes in as text, never as HTML: sensor
 * ids come from the alert.
 */
export function MapLabel({ at, text, side, className }: { at: LatLng; text: string; side: 'right' | 'top'; className?: string }) {
  const icon = useMemo(() => {
    const span = document.createElement('span');
    span.textContent = text;
    // A box of no size at the point; the span is placed from it by CSS.
    return L.divIcon({ html: span, className: `map-label map-label-${side}${className ? ` ${className}` : ''}`, iconSize: [0, 0] });
  }, [text, side, className]);
  return <Marker position={at} icon={icon} interactive={false} keyboard={false} />;
}
