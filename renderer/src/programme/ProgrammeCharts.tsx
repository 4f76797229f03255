import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { FINDING_LABELS, type GridCell, type TransparencyReport } from '../../../src/contract/index.ts';

/** Okabe-Ito, as the audit charts and the exported report use: told apart by colour-blind readers. */
const C = { alerts: '#0072B2', confirmed: '#D55E00', rounds: '#E69F00', found: '#009E73' } as const;

export const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
export const secs = (v: number | null): string => (v === null ? '—' : v < 120 ? `${v.toFixed(0)} s` : `${(v / 60).toFixed(1)} min`);

/** A figure with its method beside it, as in the exported report: nobody reads a number without how it was made. */
export function Figure({ title, method, children, testId }: { title: string; method: string | undefined; children: ReactNode; testId?: string }) {
  return (
    <section className="programme-figure" data-testid={testId}>
      <h3>{title}</h3>
      <div className="programme-figure-body">
        <div className="programme-figure-main">{children}</div>
        <aside className="programme-method">
          <b>How this is counted</b>
          {method}
        </aside>
      </div>
    </section>
  );
}

export function NightsChart({ report }: { report: TransparencyReport }) {
  const rows = report.figures.nights.map((n) => ({
    night: `${n.night.slice(5)}${n.partial ? '*' : ''}`,
    alerts: n.alerts,
    confirmed: n.confirmed,
    rounds: n.rounds,
  }));
  return (
    <Bars
      rows={rows}
      x="night"
      series={[
        ['alerts', C.alerts],
        ['confirmed', C.confirmed],
        ['rounds', C.rounds],
      ]}
      label="Alerts, confirmed incidents and rounds per night"
    />
  );
}

export function HoursChart({ report }: { report: TransparencyReport }) {
  const rows = report.figures.hours.map((h) => ({ hour: String(h.hour).padStart(2, '0'), alerts: h.alerts, confirmed: h.confirmed, rounds: h.rounds }));
  return (
    <Bars
      rows={rows}
      x="hour"
      series={[
        ['alerts', C.alerts],
        ['confirmed', C.confirmed],
        ['rounds', C.rounds],
      ]}
      label="Alerts, confirmed incidents and rounds per hour of day"
    />
  );
}

export function LatencyChart({ report }: { report: TransparencyReport }) {
  const l = report.figures.publication.shotToPublished;
  const rows = l.bins.map((b) => ({ bin: b.toS === null ? `≥ ${b.fromS} s` : `${b.fromS}–${b.toS} s`, incidents: b.count }));
  return <Bars rows={rows} x="bin" series={[['incidents', C.alerts]]} label="Shot to published" height={180} />;
}

export function FindingsChart({ report }: { report: TransparencyReport }) {
  const rows = report.figures.outcomes.byFinding.map((b) => ({ finding: FINDING_LABELS[b.finding], incidents: b.incidents }));
  return (
    <figure className="audit-chart" aria-label="Incidents by what responders found">
      <ResponsiveContainer width="100%" height={230}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="finding" width={190} fontSize={11} />
          <Tooltip />
          <Bar dataKey="incidents" fill={C.found} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

function Bars({
  rows,
  x,
  series,
  label,
  height = 220,
}: {
  rows: Record<string, string | number>[];
  x: string;
  series: [string, string][];
  label: string;
  height?: number;
}) {
  return (
    <figure className="audit-chart" aria-label={label}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey={x} fontSize={11} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          {series.length > 1 && <Legend />}
          {series.map(([key, colour]) => (
            <Bar key={key} dataKey={key} fill={colour} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

/**
 * The public map: each cell of the fixed grid with at least k confirmed incidents, shaded by its
 * count, on a frame of the cells alone (no base map, nothing finer than a cell).
 */
export function GridMap({ cells, cellM }: { cells: readonly GridCell[]; cellM: number }) {
  if (cells.length === 0)
    return (
      <p className="muted" data-testid="grid-empty">
        No cell reaches the threshold in this period and area.
      </p>
    );
  const south = Math.min(...cells.map((c) => c.south)),
    north = Math.max(...cells.map((c) => c.north));
  const west = Math.min(...cells.map((c) => c.west)),
    east = Math.max(...cells.map((c) => c.east));
  const kx = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const width = 560,
    pad = 12;
  const scale = (width - 2 * pad) / Math.max((east - west) * kx, (north - south) * 0.6, 1e-9);
  const height = Math.max(120, Math.round((north - south) * scale + 2 * pad));
  const max = Math.max(...cells.map((c) => c.confirmed));
  const px = (lon: number) => pad + (lon - west) * kx * scale;
  const py = (lat: number) => pad + (north - lat) * scale;
  return (
    <svg className="programme-grid" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Confirmed incidents per ${cellM} m cell`} data-testid="grid-map">
      {cells.map((c) => {
        const x = px(c.west),
          y = py(c.north),
          w = px(c.east) - x,
          h = py(c.south) - y;
        return (
          <g key={c.id} data-testid="grid-cell" data-count={c.confirmed}>
            <rect
              x={x}
              y={y}
              width={w}
              height={h}
              fill={`rgba(213, 94, 0, ${(0.2 + 0.7 * (c.confirmed / max)).toFixed(2)})`}
              stroke="#7c2d12"
              strokeWidth={0.5}
            >
              <title>{`${c.confirmed} confirmed incidents`}</title>
            </rect>
            {w > 18 && (
              <text x={x + w / 2} y={y + h / 2 + 4} textAnchor="middle" fontSize={Math.max(10, Math.min(16, w / 2.5))} className="programme-grid-count">
                {c.confirmed}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
