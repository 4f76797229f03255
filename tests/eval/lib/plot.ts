/**
 * The Pittsburgh figure: error CDF of each method (left) and our fixes around the surveyed
 * position per firing position (right). Drawn as SVG, turned into PNG by headless Chromium
 * (the one tests/support/browser.ts finds).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findBrowser, QUIET_ARGS } from '../../support/browser.ts';
import type { TestScore } from './score.ts';

export interface Series {
  name: string;
  color: string;
  tests: TestScore[];
}

const W = 1100,
  H = 520;

export async function plotPittsburgh(out: string, series: Series[]): Promise<void> {
  const svg = figure(series);
  const dir = mkdtempSync(join(tmpdir(), 'earwitness-plot-'));
  try {
    const page = join(dir, 'plot.html');
    writeFileSync(page, `<!doctype html><html><body style="margin:0;background:#fff">${svg}</body></html>`);
    const browser = findBrowser();
    const args = [
      '--headless',
      ...QUIET_ARGS,
      ...browser.args,
      '--hide-scrollbars',
      `--window-size=${W},${H}`,
      `--screenshot=${resolve(out)}`,
      `file://${page}`,
    ];
    const r = spawnSync(browser.executablePath, args, { encoding: 'utf8', timeout: 60_000, ...(browser.env ? { env: browser.env } : {}) });
    if (r.status !== 0) throw new Error(`chromium failed (${r.status}): ${r.stderr.split('\n').slice(-3).join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function figure(series: Series[]): string {
  const parts: string[] = [];
  // Left: CDF of horizontal error, 0..30 m.
  const L = { x: 70, y: 50, w: 460, h: 390 },
    maxE = 30;
  const sx = (e: number) => L.x + (Math.min(e, maxE) / maxE) * L.w,
    sy = (p: number) => L.y + L.h - p * L.h;
  parts.push(`<text x="${L.x}" y="30" font-size="16" font-weight="bold">Error to the surveyed position, all located shots (CDF)</text>`);
  for (let e = 0; e <= maxE; e += 5)
    parts.push(
      `<line x1="${sx(e)}" y1="${L.y}" x2="${sx(e)}" y2="${L.y + L.h}" stroke="#eee"/><text x="${sx(e)}" y="${L.y + L.h + 18}" font-size="12" text-anchor="middle">${e}</text>`,
    );
  for (let p = 0; p <= 1.0001; p += 0.25)
    parts.push(
      `<line x1="${L.x}" y1="${sy(p)}" x2="${L.x + L.w}" y2="${sy(p)}" stroke="#eee"/><text x="${L.x - 8}" y="${sy(p) + 4}" font-size="12" text-anchor="end">${(p * 100).toFixed(0)}%</text>`,
    );
  parts.push(`<text x="${L.x + L.w / 2}" y="${L.y + L.h + 38}" font-size="13" text-anchor="middle">horizontal error, m (beyond 30 m drawn at 30)</text>`);
  parts.push(`<rect x="${L.x}" y="${L.y}" width="${L.w}" height="${L.h}" fill="none" stroke="#999"/>`);
  series.forEach((s, i) => {
    const errs = s.tests.flatMap((t) => t.shots.map((x) => x.errorM)).sort((a, b) => a - b);
    const fired = s.tests.reduce((n, t) => n + t.fired, 0);
    // Against shots fired, so missed shots keep the curve below 100 %.
    const pts = errs.map((e, k) => `${sx(e).toFixed(1)},${sy(Math.min(1, (k + 1) / fired)).toFixed(1)}`);
    parts.push(`<polyline points="${sx(0)},${sy(0)} ${pts.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2.2"/>`);
    parts.push(
      `<line x1="${L.x + 230}" y1="${L.y + L.h - 90 + i * 20}" x2="${L.x + 255}" y2="${L.y + L.h - 90 + i * 20}" stroke="${s.color}" stroke-width="3"/><text x="${L.x + 262}" y="${L.y + L.h - 86 + i * 20}" font-size="12">${s.name}</text>`,
    );
  });
  // Right: our fixes around the survey, one colour per firing position, +-30 m.
  const R = { x: 640, y: 50, s: 390 },
    span = 30;
  const px = (d: number) => R.x + R.s / 2 + (Math.max(-span, Math.min(span, d)) / span) * (R.s / 2);
  const py = (d: number) => R.y + R.s / 2 - (Math.max(-span, Math.min(span, d)) / span) * (R.s / 2);
  parts.push(`<text x="${R.x}" y="30" font-size="16" font-weight="bold">Our fixes around the survey (east, north, m)</text>`);
  parts.push(`<rect x="${R.x}" y="${R.y}" width="${R.s}" height="${R.s}" fill="none" stroke="#999"/>`);
  for (const r of [5, 15, 25])
    parts.push(
      `<circle cx="${px(0)}" cy="${py(0)}" r="${(r / span) * (R.s / 2)}" fill="none" stroke="#ddd"/><text x="${px(r) - 2}" y="${py(0) - 3}" font-size="11" text-anchor="end" fill="#888">${r} m</text>`,
    );
  const palette = ['#c0392b', '#2980b9', '#27ae60', '#8e44ad', '#d35400', '#16a085', '#2c3e50', '#f39c12', '#7f8c8d'];
  const groups = [...new Set(series[0]!.tests.map((t) => t.group))];
  groups.forEach((g, i) => {
    for (const t of series[0]!.tests.filter((x) => x.group === g))
      for (const s of t.shots)
        if (s.dx !== undefined && s.dy !== undefined)
          parts.push(`<circle cx="${px(s.dx).toFixed(1)}" cy="${py(s.dy).toFixed(1)}" r="3" fill="${palette[i % palette.length]}" fill-opacity="0.7"/>`);
    parts.push(
      `<circle cx="${R.x + 12}" cy="${R.y + R.s + 20 + i * 0}" r="0"/><text x="${R.x + 10 + i * 70}" y="${R.y + R.s + 24}" font-size="13" fill="${palette[i % palette.length]}">&#9679; ${g}</text>`,
    );
  });
  parts.push(
    `<text x="${W - 10}" y="${H - 10}" font-size="11" text-anchor="end" fill="#666">Data: ShotSpotter, Inc., CC BY 4.0 (Pittsburgh live-fire tests, 2018-12-18, FP1-FP3 dev set)</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">${parts.join('')}</svg>`;
}
