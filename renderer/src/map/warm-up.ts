import L from 'leaflet';

let warmed = false;

/**
 * Makes a map like an incident's once, out of sight, while the seat has nothing better to do,
 * and takes it down a frame later. In a profile of the first alert after sign-in, Leaflet's own
 * code ran cold (map, SVG renderer, paths, markers) and took several times what it took for every
 * later alert; the first alert a reviewer opens must open as fast as the rest. Plain Leaflet, no
 * React: nothing here reaches the seat's state, keys or the core.
 */
export function warmUpMap(): void {
  if (warmed) return;
  warmed = true;
  const box = document.createElement('div');
  box.className = 'incident-map-box';
  box.setAttribute('aria-hidden', 'true');
  box.style.cssText = 'position:fixed;left:-10000px;top:0;width:480px;height:320px;visibility:hidden;pointer-events:none';
  const container = document.createElement('div');
  container.className = 'incident-map';
  container.style.cssText = 'width:100%;height:100%';
  box.append(container);
  document.body.append(box);
  const map = L.map(container, { crs: L.CRS.Simple, zoomSnap: 0.25, minZoom: -14, maxZoom: 6, attributionControl: false });
  const points: L.LatLngTuple[] = [
    [0, 0],
    [120, 40],
    [-80, 150],
    [60, -110],
  ];
  map.fitBounds(L.latLngBounds(points), { padding: [28, 28], animate: false });
  L.polyline([points.slice(0, 2), points.slice(2)], { className: 'map-grid', interactive: false, weight: 1 }).addTo(map);
  L.polygon(points, { className: 'map-ellipse', weight: 1.5, interactive: false }).addTo(map);
  for (const p of points) {
    L.circleMarker(p, { radius: 6, className: 'map-sensor map-sensor-used', weight: 2 }).addTo(map);
    const label = document.createElement('span');
    label.textContent = 'warm-up';
    L.marker(p, { icon: L.divIcon({ html: label, className: 'map-label map-label-right', iconSize: [0, 0] }), interactive: false, keyboard: false }).addTo(map);
  }
  L.circleMarker(points[0]!, { radius: 7, className: 'map-source', weight: 2 }).bindTooltip('warm-up', { direction: 'top', className: 'map-label' }).addTo(map);
  L.control.scale({ position: 'bottomleft', imperial: false }).addTo(map);
  requestAnimationFrame(() =>
    setTimeout(() => {
      map.remove();
      box.remove();
      performance.mark('ew:map-warm');
    }, 0),
  );
}
