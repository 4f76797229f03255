import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AuditStats } from '../../../src/contract/index.ts';
import { COLOURS, fmtShare } from './format.ts';

/** Share decided within the time budget per reviewer, and who changed decisions after publishing. */
export function BudgetCharts({ stats, height = 220 }: { stats: AuditStats; height?: number }) {
  // Only people whose reviews stood first count here: a blind reviewer alone has no bar to show.
  const budget = [stats.overall, ...stats.reviewers]
    .filter((r) => r.withinBudget.of > 0)
    .map((r) => ({
      reviewer: r.reviewer === 'all' ? 'Everyone' : r.reviewer,
      share: r.withinBudget.share === null ? null : Math.round(r.withinBudget.share * 1000) / 10,
      label: `${r.withinBudget.within} of ${r.withinBudget.of}`,
    }));
  return (
    <>
      <figure className="audit-chart" aria-label="Share decided within the time budget">
        <figcaption>
          Decided within {stats.timeBudgetS} s of detection: {fmtShare(stats.overall.withinBudget.share)} of {stats.alerts} alerts
        </figcaption>
        <ResponsiveContainer width="100%" height={height}>
          <BarChart data={budget} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="reviewer" />
            <YAxis domain={[0, 100]} unit=" %" />
            <Tooltip formatter={(v, _n, item) => [`${String(v)} % (${(item.payload as { label: string }).label})`, 'within budget']} />
            <Bar dataKey="share" name="within budget" fill={COLOURS.budget} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure className="audit-chart" aria-label="Decisions changed after publishing">
        <figcaption>
          Changed after publishing: {stats.published.changedAlerts} of {stats.published.alerts} published alerts ({stats.published.changes.length} changes)
        </figcaption>
        {stats.published.byActor.length === 0 ? (
          <p>No decision was changed after publishing in this period.</p>
        ) : (
          <ResponsiveContainer width="100%" height={height}>
            <BarChart data={stats.published.byActor} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 16 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" allowDecimals={false} />
              <YAxis type="category" dataKey="actor" width={90} />
              <Tooltip />
              <Bar dataKey="changes" name="changes" fill={COLOURS.change} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        )}
      </figure>
    </>
  );
}
