import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TimeDistribution } from '../../../src/contract/index.ts';
import { COLOURS } from './format.ts';

const s = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} s`);

/** How long reviews took (from opening the alert to deciding), as a histogram with the percentiles. */
export function ReviewTimeChart({ distribution, title = 'Review time', height = 220 }: { distribution: TimeDistribution; title?: string; height?: number }) {
  const rows = distribution.bins.map((b) => ({ bin: b.toS === null ? `≥ ${b.fromS} s` : `${b.fromS}–${b.toS} s`, count: b.count }));
  return (
    <figure className="audit-chart" aria-label={title}>
      <figcaption>
        {title}: {distribution.n} decisions, median {s(distribution.p50S)}, 90th percentile {s(distribution.p90S)}, 95th {s(distribution.p95S)}, longest{' '}
        {s(distribution.maxS)}
      </figcaption>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="bin" interval={0} fontSize={11} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Bar dataKey="count" name="decisions" fill={COLOURS.machine} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
