import type { Agreement, AuditStats, ConfusionMatrix, ReviewerStats, TimeDistribution } from '../../contract/audit.ts';
import { formatIsoMicros } from '../../util/time.ts';

/** RFC 4180 field: quoted when it holds a comma, quote or line break; formula-leading text defused for spreadsheets. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The statistics as one tidy CSV table (one figure per row), which any spreadsheet can pivot:
 * section, reviewer, metric, row, column, value.
 */
export function statsCsv(s: AuditStats): string {
  const rows: (string | number | null)[][] = [['section', 'reviewer', 'metric', 'row', 'column', 'value']];
  const add = (section: string, reviewer: string, metric: string, value: number | string | null, row = '', col = '') =>
    rows.push([section, reviewer, metric, row, col, value]);
  add('period', 'all', 'from', formatIsoMicros(s.fromUs));
  add('period', 'all', 'to', formatIsoMicros(s.toUs));
  add('period', 'all', 'time_budget_s', s.timeBudgetS);
  add('period', 'all', 'alerts', s.alerts);
  add('period', 'all', 'decided', s.decided);
  const agreement = (section: string, who: string, name: string, a: Agreement) => {
    add(section, who, `${name}_n`, a.n);
    add(section, who, `${name}_observed`, a.observed);
    add(section, who, `${name}_expected`, a.expected);
    add(section, who, `${name}_kappa`, a.kappa);
    add(section, who, `${name}_se`, a.se);
  };
  const matrix = (section: string, who: string, name: string, m: ConfusionMatrix) => {
    m.labels.forEach((r, i) => m.labels.forEach((c, j) => add(section, who, name, m.counts[i]![j]!, `${m.rows}:${r}`, `${m.cols}:${c}`)));
  };
  const times = (who: string, t: TimeDistribution) => {
    for (const k of ['n', 'meanS', 'p50S', 'p90S', 'p95S', 'maxS'] as const) add('review_time', who, k, t[k]);
    for (const b of t.bins) add('review_time', who, 'bin_count', b.count, `${b.fromS}`, b.toS === null ? '' : `${b.toS}`);
  };
  const person = (r: ReviewerStats) => {
    add('reviewer', r.reviewer, 'decisions', r.decisions);
    times(r.reviewer, r.reviewTime);
    add('time_budget', r.reviewer, 'within', r.withinBudget.within);
    add('time_budget', r.reviewer, 'of', r.withinBudget.of);
    add('time_budget', r.reviewer, 'share', r.withinBudget.share);
    agreement('agreement', r.reviewer, 'machine', r.machine);
    agreement('agreement', r.reviewer, 'qa_class', r.qaClass);
    agreement('agreement', r.reviewer, 'qa_verdict', r.qaVerdict);
    matrix('confusion', r.reviewer, 'machine_vs_reviewer', r.machineConfusion);
    add('published', r.reviewer, 'changes_after_publish', r.changesAfterPublish);
  };
  person(s.overall);
  for (const r of s.reviewers) person(r);
  for (const k of ['sampled', 'selected', 'open', 'pairs', 'disputed', 'adjudicated'] as const) add('qa', 'all', k, s.qa[k]);
  for (const k of ['first', 'second', 'neither'] as const) add('qa', 'all', `adjudicated_upholding_${k}`, s.qa.verdicts[k]);
  matrix('confusion', 'all', 'qa_class', s.qa.classConfusion);
  matrix('confusion', 'all', 'qa_verdict', s.qa.verdictConfusion);
  add('machine', 'all', 'compared', s.machine.compared);
  add('machine', 'all', 'unmapped', s.machine.unmapped);
  for (const l of s.machine.unmappedLabels) add('machine', 'all', 'unmapped_label', l);
  add('published', 'all', 'published_alerts', s.published.alerts);
  add('published', 'all', 'changed_alerts', s.published.changedAlerts);
  for (const c of s.published.changes)
    add('published_change', c.actor, c.kind, c.alertId, `${c.fromClass ?? ''}`, `${c.toClass ?? ''}@${formatIsoMicros(c.atUs)}`);
  return `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}
