import type { AuditStats } from '../../../src/contract/index.ts';
import { AgreementCharts } from './AgreementCharts.tsx';
import { BudgetCharts } from './BudgetCharts.tsx';
import { ConfusionMatrix } from './ConfusionMatrix.tsx';
import { ReviewTimeChart } from './ReviewTimeChart.tsx';

/**
 * Every chart of the auditor's statistics view, fed by one getAuditStats result. Self-contained:
 * no data fetching here, so the lead wires it where the auditor's mode lives.
 */
export function AuditCharts({ stats }: { stats: AuditStats }) {
  return (
    <section className="audit-charts" style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: 16 }}>
      <AgreementCharts stats={stats} />
      <ReviewTimeChart distribution={stats.overall.reviewTime} />
      <ConfusionMatrix matrix={stats.qa.classConfusion} title="First decision against blind review" />
      <ConfusionMatrix matrix={stats.machine.confusion} title="Machine against reviewers" hideEmpty={false} />
      <BudgetCharts stats={stats} />
    </section>
  );
}
