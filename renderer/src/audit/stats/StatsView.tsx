import { useState } from 'react';
import { useClient } from '../../client/context.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { AgreementCharts } from '../AgreementCharts.tsx';
import { BudgetCharts } from '../BudgetCharts.tsx';
import { ConfusionMatrix } from '../ConfusionMatrix.tsx';
import { fmtKappa, kappaBand } from '../format.ts';
import { ReviewTimeChart } from '../ReviewTimeChart.tsx';
import { saveOutput, type SaveOutcome } from '../save.ts';
import { useMethod } from '../useMethod.ts';
import { lastDays, periodMicros, statsFileName, type DayPeriod } from './period.ts';
import { ReviewerTable } from './ReviewerTable.tsx';

const PRESETS = [
  { days: 1, label: 'Today' },
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 365, label: 'Year' },
];

/**
 * The numbers auditors ask for, for a chosen period (whole UTC days): agreement between
 * reviewers and with the machine, confusion matrices, review times, the time budget, changes
 * after publishing; per reviewer and overall; exported as CSV.
 */
export function StatsView() {
  const client = useClient();
  const [period, setPeriod] = useState<DayPeriod>(() => lastDays(30, Date.now()));
  const [budget, setBudget] = useState<string>('');
  const [who, setWho] = useState('all');
  const [outcome, setOutcome] = useState<SaveOutcome | null>(null);
  const range = periodMicros(period);
  const budgetS = budget.trim() === '' ? undefined : Number(budget);
  const input =
    'problem' in range || (budgetS !== undefined && !(budgetS >= 1)) ? null : { ...range, ...(budgetS !== undefined ? { timeBudgetS: budgetS } : {}) };
  const result = useMethod('getAuditStats', input);
  const stats = input ? result.value : null;
  const person = stats ? (who === 'all' ? stats.overall : (stats.reviewers.find((r) => r.reviewer === who) ?? stats.overall)) : null;

  const exportCsv = async () => {
    if (!input) return;
    setOutcome(null);
    // Desktop: the save dialog first, the core writes there; browser: the core makes a download of this seat.
    const { outcome } = await saveOutput(client, { purpose: 'statistics', defaultName: statsFileName(period), extension: 'csv' }, (to) =>
      client.call('exportAuditStatsFile', { ...input, to }),
    );
    setOutcome(outcome);
  };

  return (
    <div className="audit-page stats-view" data-testid="stats-view">
      <form className="stats-controls" onSubmit={(e) => e.preventDefault()} aria-label="Period">
        <label>
          From <input type="date" value={period.from} onChange={(e) => setPeriod((p) => ({ ...p, from: e.target.value }))} data-testid="stats-from" />
        </label>
        <label>
          to <input type="date" value={period.to} onChange={(e) => setPeriod((p) => ({ ...p, to: e.target.value }))} data-testid="stats-to" />
        </label>
        <span className="muted">UTC days, both included</span>
        <span className="stats-presets">
          {PRESETS.map((p) => (
            <button key={p.days} type="button" className="btn btn-small" onClick={() => setPeriod(lastDays(p.days, Date.now()))}>
              {p.label}
            </button>
          ))}
        </span>
        <label title="Detection to the first review that stood; empty uses the configured budget">
          Budget{' '}
          <input
            type="number"
            min={1}
            max={86400}
            placeholder={stats ? String(stats.timeBudgetS) : '60'}
            value={budget}
            onChange={(e) => setBudget(e.target.value)}
            className="stats-budget"
          />{' '}
          s
        </label>
        <span className="topbar-spacer" />
        <button type="button" className="btn btn-small" onClick={() => void exportCsv()} disabled={!input} data-testid="export-csv">
          {client.transport === 'electron' ? 'Export CSV…' : 'Download CSV'}
        </button>
      </form>
      {'problem' in range && <p className="decision-problem">{range.problem}</p>}
      {outcome?.kind === 'saved' && <p className="ok-note">Saved {outcome.fileName}</p>}
      {outcome?.kind === 'downloaded' && <p className="ok-note">Downloaded {outcome.fileName}</p>}
      {outcome?.kind === 'failed' && <ErrorNote error={outcome.error} context="Not exported" />}
      <ErrorNote error={result.error} context="The statistics could not be computed" />
      {stats && person && (
        <>
          <div className="stats-tiles" data-testid="stats-tiles">
            <Tile label="Alerts detected" value={stats.alerts} />
            <Tile
              label="Alerts decided"
              value={stats.decided}
              note={`${stats.overall.decisions} reviews, ${stats.undoneReviews} undone · ${stats.undecided} undecided`}
            />
            <Tile label="Drawn for QA / selected" value={`${stats.qa.sampled} / ${stats.qa.selected}`} />
            <Tile label="Blind pairs · disputed · adjudicated" value={`${stats.qa.pairs} · ${stats.qa.disputed} · ${stats.qa.adjudicated}`} />
            <Tile label="κ decision vs blind review" value={fmtKappa(stats.qa.classAgreement)} note={kappaBand(stats.qa.classAgreement.kappa)} />
            <Tile label="κ reviewers vs machine" value={fmtKappa(stats.machine.agreement)} note={kappaBand(stats.machine.agreement.kappa)} />
            <Tile label="Changed after publishing" value={`${stats.published.changedAlerts} of ${stats.published.alerts}`} />
          </div>
          {stats.machine.unmapped > 0 && (
            <p className="muted">
              {stats.machine.unmapped} machine label{stats.machine.unmapped === 1 ? '' : 's'} not on the verdict scale, left out of the machine comparison:{' '}
              {stats.machine.unmappedLabels.join(', ')}.
            </p>
          )}
          <ReviewerTable stats={stats} chosen={person.reviewer} onChoose={setWho} />
          <p className="muted stats-hint">Choose a row to see that reviewer’s review times and their comparison with the machine below.</p>
          <div className="stats-charts" data-testid="stats-charts">
            <AgreementCharts stats={stats} />
            <ReviewTimeChart distribution={person.reviewTime} title={person.reviewer === 'all' ? 'Review time, everyone' : `Review time, ${person.reviewer}`} />
            <BudgetCharts stats={stats} />
            <div className="stats-matrices">
              <ConfusionMatrix matrix={stats.qa.classConfusion} title="First decision against blind review" />
              <ConfusionMatrix matrix={stats.qa.verdictConfusion} title="The same on the verdict scale" hideEmpty={false} />
              <ConfusionMatrix
                matrix={person.machineConfusion}
                title={person.reviewer === 'all' ? 'Machine against reviewers' : `Machine against ${person.reviewer}`}
                hideEmpty={false}
              />
            </div>
          </div>
          {stats.published.changes.length > 0 && <ChangesTable stats={stats} />}
        </>
      )}
    </div>
  );
}

function Tile({ label, value, note }: { label: string; value: string | number; note?: string }) {
  return (
    <div className="stats-tile">
      <div className="stats-tile-value">{value}</div>
      <div className="stats-tile-label">{label}</div>
      {note && <div className="muted stats-tile-note">{note}</div>}
    </div>
  );
}

function ChangesTable({ stats }: { stats: NonNullable<ReturnType<typeof useMethod<'getAuditStats'>>['value']> }) {
  return (
    <table className="audit-table" aria-label="Changes after publishing">
      <caption>Decisions changed after publishing</caption>
      <thead>
        <tr>
          <th>Alert</th>
          <th>By</th>
          <th>Change</th>
          <th>From</th>
          <th>To</th>
        </tr>
      </thead>
      <tbody>
        {stats.published.changes.map((c) => (
          <tr key={`${c.alertId}-${c.atUs}`}>
            <td>{c.alertId}</td>
            <td>{c.actor}</td>
            <td>{c.kind}</td>
            <td>{c.fromClass ?? '—'}</td>
            <td>{c.toClass ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
