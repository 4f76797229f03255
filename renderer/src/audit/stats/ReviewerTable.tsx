import type { AuditStats, ReviewerStats } from '../../../../src/contract/index.ts';
import { fmtKappa, fmtShare } from '../format.ts';

const secs = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} s`);

/** One row per reviewer (and everyone): the figures behind the charts; a row picks whose charts are shown. */
export function ReviewerTable({ stats, chosen, onChoose }: { stats: AuditStats; chosen: string; onChoose(reviewer: string): void }) {
  const row = (r: ReviewerStats) => (
    <tr key={r.reviewer} aria-selected={chosen === r.reviewer} onClick={() => onChoose(r.reviewer)} data-testid="reviewer-row" data-reviewer={r.reviewer}>
      <th scope="row">
        <button type="button" className="link-button reviewer-pick" onClick={() => onChoose(r.reviewer)}>
          {r.reviewer === 'all' ? 'Everyone' : r.reviewer}
        </button>
      </th>
      <td>{r.decisions}</td>
      <td>{secs(r.reviewTime.p50S)}</td>
      <td>{secs(r.reviewTime.p90S)}</td>
      <td title={`${r.withinBudget.within} of ${r.withinBudget.of}`}>{fmtShare(r.withinBudget.share)}</td>
      <td title={`${r.machine.n} compared`}>
        {fmtKappa(r.machine)} <span className="muted">({r.machine.n})</span>
      </td>
      <td title={`${r.qaPairs} pairs`}>
        {fmtKappa(r.qaClass)} <span className="muted">({r.qaPairs})</span>
      </td>
      <td>{r.changesAfterPublish}</td>
    </tr>
  );
  return (
    <table className="audit-table reviewer-table" data-testid="reviewer-table">
      <thead>
        <tr>
          <th>Reviewer</th>
          <th title="Reviews made, undone ones included (revisions are not reviews)">Reviews</th>
          <th>Median time</th>
          <th>90th pct</th>
          <th title="Of the alerts each person decided first (and that stayed decided)">Within {stats.timeBudgetS} s</th>
          <th>κ vs machine (n)</th>
          <th>κ vs blind review (pairs)</th>
          <th>Changed after publishing</th>
        </tr>
      </thead>
      <tbody>
        {row(stats.overall)}
        {stats.reviewers.map(row)}
      </tbody>
    </table>
  );
}
