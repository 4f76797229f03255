/**
 * Fills a tile URL template the way Leaflet does: {z}, {x}, {y}, {-y} (TMS rows, for servers that
 * count from the bottom) and {s} (a subdomain picked from the tile position, so the same tile
 * always comes from the same host and caches stay warm).
 */
export function expandTileTemplate(template: string, z: number, x: number, y: number, subdomains: readonly string[] = []): string {
  const s = subdomains.length ? subdomains[Math.abs(x + y) % subdomains.length]! : '';
  return template
    .replaceAll('{z}', String(z))
    .replaceAll('{x}', String(x))
    .replaceAll('{-y}', String(2 ** z - 1 - y))
    .replaceAll('{y}', String(y))
    .replaceAll('{s}', s);
}

/** The template's host, shown as the source's name. */
export function templateHost(template: string): string {
  try {
    return new URL(expandTileTemplate(template, 0, 0, 0, ['a'])).host;
  } catch {
    return 'tile server';
  }
}
