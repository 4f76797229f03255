import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AuditStats } from '../../../src/contract/index.ts';
import { COLOURS, fmtKappa, kappaBand } from './format.ts';

/**
 * Cohen's kappa per reviewer and overall: against the machine, and against the blind second
 * review on the full taxonomy and on the gunfire / probable / not-gunfire scale. A missing bar
 * means kappa is undefined there (no pairs, or every judgement the same).
 */
export function AgreementCharts({ stats, height = 280 }: { stats: AuditStats; height?: number }) {
  const rows = [stats.overall, ...stats.reviewers].map((r) => ({
    reviewer: r.reviewer === 'all' ? 'Everyone' : r.reviewer,
    machine: r.machine.kappa,
    qaClass: r.qaClass.kappa,
    qaVerdict: r.qaVerdict.kappa,
    n: `${r.machine.n} / ${r.qaPairs}`,
  }));
  // Kappa below zero is rare (worse than chance): the axis goes down only as far as the data does.
  const lowest = Math.min(0, ...rows.flatMap((r) => [r.machine, r.qaClass, r.qaVerdict]).filter((k): k is number => k !== null));
  const floor = Math.max(-1, Math.floor(lowest * 5) / 5);
  const ticks = [floor, ...[0, 0.2, 0.4, 0.6, 0.8, 1].filter((t) => t > floor)].filter((t, i, a) => a.indexOf(t) === i);
  return (
    <figure className="audit-chart" aria-label="Agreement (Cohen's kappa) per reviewer">
      <figcaption>
        Agreement (Cohen’s κ). Overall: machine {fmtKappa(stats.machine.agreement)} ({kappaBand(stats.machine.agreement.kappa)}), blind review{' '}
        {fmtKappa(stats.qa.classAgreement)} ({kappaBand(stats.qa.classAgreement.kappa)}) over {stats.qa.pairs} pairs.
      </figcaption>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="reviewer" />
          <YAxis domain={[floor, 1]} ticks={ticks} interval={0} tickFormatter={(v: number) => v.toFixed(1)} />
          <ReferenceLine y={0} stroke="#444" />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : '—')} />
          <Legend itemSorter={null} />
          <Bar dataKey="machine" name="vs machine (verdict scale)" fill={COLOURS.machine} isAnimationActive={false} />
          <Bar dataKey="qaClass" name="vs blind review (class)" fill={COLOURS.qaClass} isAnimationActive={false} />
          <Bar dataKey="qaVerdict" name="vs blind review (verdict)" fill={COLOURS.qaVerdict} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
