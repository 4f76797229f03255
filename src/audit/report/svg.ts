/** Server-side SVG for the report: waveforms from stored peaks with the picks, and the map in local metres. */

export const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const f = (v: number) => (Math.round(v * 10) / 10).toString();

/** 1, 2 or 5 times a power of ten, the largest not above `target`. */
export function niceStep(target: number): number {
  if (!(target > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(target));
  for (const m of [5, 2, 1]) if (m * p <= target) return m * p;
  return p;
}

export interface Pick {
  offsetS: number;
  label: string;
  origin: 'machine' | 'reviewer';
}

export function waveformSvg(o: {
  peaks: Float32Array;
  peaksPerSecond: number;
  durationS: number;
  picks: Pick[];
  width?: number;
  height?: number;
  title: string;
}): string {
  const W = o.width ?? 900,
    H = o.height ?? 110,
    axis = 18,
    plotH = H - axis;
  const pairs = o.peaks.length / 2;
  const mid = plotH / 2;
  const top: string[] = [],
    bottom: string[] = [];
  for (let x = 0; x < W; x++) {
    const a = Math.floor((x / W) * pairs),
      b = Math.max(a + 1, Math.floor(((x + 1) / W) * pairs));
    let max = -1,
      min = 1;
    for (let p = a; p < Math.min(b, pairs); p++) {
      max = Math.max(max, o.peaks[2 * p]!);
      min = Math.min(min, o.peaks[2 * p + 1]!);
    }
    if (max < min) max = min = 0;
    top.push(`${x},${f(mid - max * mid * 0.95)}`);
    bottom.push(`${x},${f(mid - min * mid * 0.95)}`);
  }
  const poly = `<polygon points="${top.join(' ')} ${bottom.reverse().join(' ')}" fill="#2b5d8a"/>`;
  const step = niceStep(o.durationS / 8);
  const ticks: string[] = [];
  for (let i = 0; i * step <= o.durationS + 1e-9; i++) {
    const t = i * step;
    const x = (t / o.durationS) * W;
    const anchor = x < 20 ? 'start' : x > W - 20 ? 'end' : 'middle';
    ticks.push(
      `<line x1="${f(x)}" y1="${plotH}" x2="${f(x)}" y2="${plotH + 4}" stroke="#555"/><text x="${f(x)}" y="${H - 3}" font-size="10" text-anchor="${anchor}" fill="#333">${esc(+t.toFixed(3))} s</text>`,
    );
  }
  const picks = o.picks.map((p) => {
    const x = (p.offsetS / o.durationS) * W;
    const colour = p.origin === 'reviewer' ? '#c2410c' : '#b91c1c';
    return (
      `<line x1="${f(x)}" y1="0" x2="${f(x)}" y2="${plotH}" stroke="${colour}" stroke-width="1.5"${p.origin === 'reviewer' ? ' stroke-dasharray="4 2"' : ''}/>` +
      `<text x="${f(x + 3)}" y="11" font-size="10" fill="${colour}">${esc(p.label)}</text>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(o.title)}">` +
    `<rect width="${W}" height="${plotH}" fill="#f4f7fa"/><line x1="0" y1="${mid}" x2="${W}" y2="${mid}" stroke="#cbd5e1"/>${poly}${picks.join('')}${ticks.join('')}</svg>`
  );
}

export interface MapSensor {
  id: string;
  x: number;
  y: number;
  participating: boolean;
}
export interface MapShot {
  index: number;
  x: number;
  y: number;
  ellipse: { semiMajorM: number; semiMinorM: number; azimuthDeg: number } | null;
}

/** Sensors, the fix of each shot with its 95 % ellipse, and earlier fixes, north up, equal scale, with a scale bar. */
export function mapSvg(o: {
  sensors: MapSensor[];
  shots: MapShot[];
  earlier: { x: number; y: number; label: string }[];
  width?: number;
  height?: number;
}): string {
  const W = o.width ?? 640,
    H = o.height ?? 440,
    pad = 40;
  const xs: number[] = [],
    ys: number[] = [];
  for (const s of o.sensors) {
    xs.push(s.x);
    ys.push(s.y);
  }
  for (const s of o.shots) {
    const r = s.ellipse ? Math.min(s.ellipse.semiMajorM, 5000) : 0;
    xs.push(s.x - r, s.x + r);
    ys.push(s.y - r, s.y + r);
  }
  for (const e of o.earlier) {
    xs.push(e.x);
    ys.push(e.y);
  }
  if (xs.length === 0) {
    xs.push(0);
    ys.push(0);
  }
  const minX = Math.min(...xs),
    maxX = Math.max(...xs),
    minY = Math.min(...ys),
    maxY = Math.max(...ys);
  const span = Math.max(maxX - minX, maxY - minY, 20);
  const scale = Math.min((W - 2 * pad) / Math.max(maxX - minX, span * 0.3, 1), (H - 2 * pad - 30) / Math.max(maxY - minY, span * 0.3, 1));
  const cx = (minX + maxX) / 2,
    cy = (minY + maxY) / 2;
  const X = (x: number) => W / 2 + (x - cx) * scale;
  const Y = (y: number) => (H - 30) / 2 - (y - cy) * scale;
  const parts: string[] = [`<rect width="${W}" height="${H}" fill="#fbfbf8" stroke="#d4d4d8"/>`];
  for (const s of o.sensors) {
    const x = X(s.x),
      y = Y(s.y);
    parts.push(
      `<polygon points="${f(x)},${f(y - 7)} ${f(x - 6)},${f(y + 5)} ${f(x + 6)},${f(y + 5)}" fill="${s.participating ? '#2563eb' : '#94a3b8'}"/>` +
        `<text x="${f(x + 8)}" y="${f(y + 4)}" font-size="11" fill="#1e293b">${esc(s.id)}</text>`,
    );
  }
  for (const e of o.earlier) {
    parts.push(
      `<circle cx="${f(X(e.x))}" cy="${f(Y(e.y))}" r="4" fill="none" stroke="#a16207" stroke-dasharray="2 2"/><text x="${f(X(e.x) + 6)}" y="${f(Y(e.y) - 6)}" font-size="10" fill="#a16207">${esc(e.label)}</text>`,
    );
  }
  for (const s of o.shots) {
    const x = X(s.x),
      y = Y(s.y);
    if (s.ellipse) {
      parts.push(
        `<ellipse cx="${f(x)}" cy="${f(y)}" rx="${f(Math.max(3, s.ellipse.semiMajorM * scale))}" ry="${f(Math.max(3, s.ellipse.semiMinorM * scale))}" ` +
          `transform="rotate(${f(s.ellipse.azimuthDeg - 90)} ${f(x)} ${f(y)})" fill="rgba(220,38,38,0.15)" stroke="#dc2626"/>`,
      );
    }
    parts.push(
      `<path d="M${f(x - 7)} ${f(y)}H${f(x + 7)}M${f(x)} ${f(y - 7)}V${f(y + 7)}" stroke="#991b1b" stroke-width="2.5"/><text x="${f(x + 9)}" y="${f(y - 8)}" font-size="11" font-weight="bold" fill="#991b1b">shot ${s.index}</text>`,
    );
  }
  const bar = niceStep((W - 2 * pad) / scale / 4);
  const bx = pad,
    by = H - 18;
  parts.push(
    `<path d="M${bx} ${by - 5}V${by}H${f(bx + bar * scale)}V${by - 5}" fill="none" stroke="#111" stroke-width="2"/>` +
      `<text x="${f(bx + (bar * scale) / 2)}" y="${by - 8}" font-size="11" text-anchor="middle">${bar >= 1000 ? `${bar / 1000} km` : `${bar} m`}</text>`,
  );
  parts.push(
    `<g transform="translate(${W - 30} 40)"><path d="M0 -18L7 4L0 -2L-7 4Z" fill="#111"/><text y="18" font-size="12" text-anchor="middle">N</text></g>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Map of sensors and fix in local metres">${parts.join('')}</svg>`;
}
