import { esc } from '../../audit/report/svg.ts';
import type { GridCell } from '../../contract/index.ts';

/** Okabe-Ito colours, as the seat's charts use: told apart by colour-blind readers and in grey print. */
export const CHART_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#56B4E9', '#CC79A7'] as const;

const r1 = (v: number) => Math.round(v * 10) / 10;

/** The smallest of 1, 2, 5 × 10^n at or above max/4: about four gridlines. */
function tickStep(max: number): number {
  if (max <= 4) return 1;
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

export interface Series {
  name: string;
  values: readonly number[];
}

/**
 * A grouped bar chart as plain SVG (no script, no font files): categories along the bottom,
 * one bar per series in each, a legend, gridlines with their values. Labels thin out when the
 * categories are many (a year of nights).
 */
export function barChartSvg(o: {
  title: string;
  categories: readonly string[];
  series: readonly Series[];
  width?: number;
  height?: number;
  unit?: string;
}): string {
  const width = o.width ?? 900,
    height = o.height ?? 220;
  const left = 44,
    right = 10,
    top = 26,
    bottom = 34;
  const plotW = width - left - right,
    plotH = height - top - bottom;
  const max = Math.max(1, ...o.series.flatMap((s) => s.values));
  const step = tickStep(max);
  const top1 = Math.ceil(max / step) * step;
  const y = (v: number) => top + plotH - (v / top1) * plotH;
  const n = Math.max(1, o.categories.length);
  const band = plotW / n;
  const barW = Math.max(0.6, (band * 0.8) / o.series.length);
  const every = Math.max(1, Math.ceil(n / 24));
  const parts: string[] = [];
  for (let v = 0; v <= top1; v += step) {
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${r1(y(v))}" y2="${r1(y(v))}" stroke="#d4d9e1" stroke-width="0.6"/>`);
    parts.push(`<text x="${left - 4}" y="${r1(y(v) + 3)}" text-anchor="end" font-size="9" fill="#475569">${v}</text>`);
  }
  o.categories.forEach((c, i) => {
    o.series.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      if (v > 0)
        parts.push(
          `<rect x="${r1(left + i * band + band * 0.1 + j * barW)}" y="${r1(y(v))}" width="${r1(barW)}" height="${r1(top + plotH - y(v))}" fill="${CHART_COLOURS[j % CHART_COLOURS.length]}"><title>${esc(`${c}: ${v} ${s.name}`)}</title></rect>`,
        );
    });
    if (i % every === 0)
      parts.push(`<text x="${r1(left + i * band + band / 2)}" y="${height - bottom + 12}" text-anchor="middle" font-size="9" fill="#334155">${esc(c)}</text>`);
  });
  parts.push(`<line x1="${left}" x2="${width - right}" y1="${top + plotH}" y2="${top + plotH}" stroke="#64748b" stroke-width="0.8"/>`);
  const legend = o.series
    .map(
      (s, j) =>
        `<rect x="${left + j * 150}" y="6" width="10" height="10" fill="${CHART_COLOURS[j % CHART_COLOURS.length]}"/><text x="${left + j * 150 + 14}" y="15" font-size="10" fill="#111">${esc(s.name)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(o.title)}"><title>${esc(o.title)}</title>${legend}${parts.join('')}</svg>`;
}

/**
 * The coarse grid of confirmed incidents as SVG: each cell shown as a square shaded by its
 * count, on an equirectangular frame of the cells themselves (no base map, no street, nothing
 * finer than a cell), with its count written in it.
 */
export function gridMapSvg(cells: readonly GridCell[], o: { width?: number; cellM: number }): string {
  const width = o.width ?? 640;
  if (cells.length === 0)
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} 60" width="100%"><text x="10" y="34" font-size="12" fill="#475569">No cell reaches the threshold in this period and area.</text></svg>`;
  const south = Math.min(...cells.map((c) => c.south)),
    north = Math.max(...cells.map((c) => c.north));
  const west = Math.min(...cells.map((c) => c.west)),
    east = Math.max(...cells.map((c) => c.east));
  const kx = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const spanX = (east - west) * kx,
    spanY = north - south;
  const pad = 16;
  const scale = (width - 2 * pad) / Math.max(spanX, spanY * 0.6, 1e-9);
  const height = Math.max(120, Math.round(spanY * scale + 2 * pad + 18));
  const max = Math.max(...cells.map((c) => c.confirmed));
  const px = (lon: number) => r1(pad + (lon - west) * kx * scale);
  const py = (lat: number) => r1(pad + (north - lat) * scale);
  const shade = (n: number) => `rgba(213, 94, 0, ${(0.18 + 0.72 * (n / max)).toFixed(2)})`;
  const rects = cells
    .map((c) => {
      const x = px(c.west),
        y0 = py(c.north),
        w = r1(px(c.east) - px(c.west)),
        h = r1(py(c.south) - py(c.north));
      return (
        `<rect x="${x}" y="${y0}" width="${w}" height="${h}" fill="${shade(c.confirmed)}" stroke="#7c2d12" stroke-width="0.5"><title>${c.confirmed} confirmed incidents</title></rect>` +
        (w > 16
          ? `<text x="${r1(x + w / 2)}" y="${r1(y0 + h / 2 + 3.5)}" text-anchor="middle" font-size="${Math.min(11, w / 2.5).toFixed(1)}" fill="#111">${c.confirmed}</text>`
          : '')
      );
    })
    .join('');
  const bar = Math.min(width - 2 * pad, ((o.cellM * scale) / 111_320) * (1 / 1));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Confirmed incidents per map cell">${rects}` +
    `<line x1="${pad}" x2="${r1(pad + bar)}" y1="${height - 8}" y2="${height - 8}" stroke="#111" stroke-width="2"/><text x="${r1(pad + bar + 6)}" y="${height - 4}" font-size="10">${o.cellM} m</text></svg>`
  );
}
