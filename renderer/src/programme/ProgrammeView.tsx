import './programme.css';
import { useState } from 'react';
import type { ProgrammeArea, TransparencyReport } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { saveOutput, type SaveOutcome } from '../audit/save.ts';
import { useMethod } from '../audit/useMethod.ts';
import { lastDays, type DayPeriod } from '../audit/stats/period.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { useSeat } from '../seat/SeatContext.tsx';
import { AreaPicker } from './AreaPicker.tsx';
import { Figure, FindingsChart, GridMap, HoursChart, LatencyChart, NightsChart, pct, secs } from './ProgrammeCharts.tsx';
import { ProgrammeSettingsForm } from './ProgrammeSettingsForm.tsx';

type Format = 'html' | 'pdf' | 'csv' | 'geojson';
const FORMATS: { format: Format; label: string; desktopOnly?: boolean }[] = [
  { format: 'html', label: 'HTML report' },
  { format: 'pdf', label: 'PDF', desktopOnly: true },
  { format: 'csv', label: 'CSV' },
  { format: 'geojson', label: 'GeoJSON map' },
];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The programme's transparency report, as the public will read it: what the alerts led to for a
 * period and an area, every figure with its method, the map on a coarse grid with small cells
 * left off, and the exports (self-contained HTML, PDF from the desktop app, CSV and GeoJSON).
 */
export function ProgrammeView() {
  const client = useClient();
  const isAdmin = useSeat().state.person?.roles.includes('admin') ?? false;
  const [period, setPeriod] = useState<DayPeriod>(() => lastDays(30, Date.now()));
  const [area, setArea] = useState<ProgrammeArea>({ kind: 'network' });
  const [saved, setSaved] = useState<SaveOutcome | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const valid = DAY.test(period.from) && DAY.test(period.to);
  const query = valid ? { period: { fromDay: period.from, toDay: period.to }, area } : null;
  const result = useMethod('getTransparencyReport', query);
  const report = query ? result.value : null;

  const exportAs = async (format: Format) => {
    if (!query) return;
    setSaved(null);
    const extension = format === 'geojson' ? 'geojson' : format;
    const { outcome } = await saveOutput(
      client,
      {
        purpose: format === 'csv' || format === 'geojson' ? 'statistics' : 'report',
        defaultName: `earwitness-transparency-${period.from}-to-${period.to}.${extension}`,
        extension,
      },
      (to) => client.call('exportTransparencyReportFile', { ...query, format, to }),
    );
    setSaved(outcome);
  };

  return (
    <div className="audit-page programme-view" data-testid="programme-view">
      <form className="stats-controls" onSubmit={(e) => e.preventDefault()} aria-label="Period and area">
        <label>
          From <input type="date" value={period.from} onChange={(e) => setPeriod((p) => ({ ...p, from: e.target.value }))} data-testid="programme-from" />
        </label>
        <label>
          to <input type="date" value={period.to} onChange={(e) => setPeriod((p) => ({ ...p, to: e.target.value }))} data-testid="programme-to" />
        </label>
        <span className="muted">{report ? `local days in ${report.figures.period.timeZone}` : 'local days'}, both included</span>
        <span className="stats-presets">
          {[30, 90, 365].map((d) => (
            <button key={d} type="button" className="btn btn-small" onClick={() => setPeriod(lastDays(d, Date.now()))}>
              {d === 365 ? 'Year' : `${d} days`}
            </button>
          ))}
        </span>
        <span className="topbar-spacer" />
        {FORMATS.filter((f) => !f.desktopOnly || client.transport === 'electron').map((f) => (
          <button
            key={f.format}
            type="button"
            className="btn btn-small"
            disabled={!report}
            onClick={() => void exportAs(f.format)}
            data-testid={`programme-export-${f.format}`}
          >
            {client.transport === 'electron' ? `${f.label}…` : f.label}
          </button>
        ))}
        {isAdmin && (
          <button
            type="button"
            className="btn btn-small"
            aria-expanded={settingsOpen}
            onClick={() => setSettingsOpen((o) => !o)}
            data-testid="programme-settings-toggle"
          >
            Settings
          </button>
        )}
      </form>
      <AreaPicker area={area} onArea={setArea} />
      {settingsOpen && isAdmin && <ProgrammeSettingsForm onSaved={result.reload} />}
      {saved?.kind === 'saved' && <p className="ok-note">Saved {saved.fileName}</p>}
      {saved?.kind === 'downloaded' && <p className="ok-note">Downloaded {saved.fileName}</p>}
      {saved?.kind === 'failed' && <ErrorNote error={saved.error} context="Not exported" />}
      {!valid && <p className="decision-problem">Give both days as dates.</p>}
      <ErrorNote error={result.error} context="The report could not be made" />
      {report && <Report report={report} />}
    </div>
  );
}

function Report({ report }: { report: TransparencyReport }) {
  const f = report.figures;
  const o = f.outcomes;
  const m = report.methods;
  const left = [
    f.excluded.sealed ? `${f.excluded.sealed} decided alert(s) under blind quality review (sealed until the review is in)` : '',
    f.excluded.localFrame ? `${f.excluded.localFrame} research recording(s) in local metres` : '',
    f.excluded.unplaced ? `${f.excluded.unplaced} alert(s) with no located position` : '',
  ].filter(Boolean);
  return (
    <article className="programme-report" data-testid="programme-report">
      <h2>{report.title}</h2>
      <div className="stats-tiles" data-testid="programme-tiles">
        <Tile label="alerts" value={f.alerts} />
        <Tile label="confirmed incidents" value={f.confirmed} />
        <Tile label="of decided alerts confirmed as gunfire" value={pct(f.confirmedShare)} />
        <Tile label="rounds in confirmed incidents" value={f.rounds} />
        <Tile label={`with an outcome reported, of ${o.sentToAgency} sent`} value={o.reported} />
        <Tile label="sent with no outcome reported" value={pct(o.missingShare)} testId="tile-missing" />
        <Tile label="with evidence of gunfire" value={o.evidence} />
        <Tile label="arrests · firearms recovered" value={`${o.arrests} · ${o.firearms}`} />
      </div>
      {left.length > 0 && (
        <p className="programme-warn" data-testid="programme-excluded">
          Left out of these figures: {left.join('; ')}.
        </p>
      )}
      <Figure title="Per night" method={m.nights} testId="figure-nights">
        <NightsChart report={report} />
      </Figure>
      <Figure title="Per hour of day" method={m.hours}>
        <HoursChart report={report} />
      </Figure>
      <Figure title="Alerts and confirmed incidents" method={`${m.confirmed ?? ''} ${m.share ?? ''} ${m.rounds ?? ''}`}>
        <Table
          rows={[
            ['Alerts', f.alerts],
            ['Decided', f.decided],
            ['Not yet decided', f.undecided],
            ['Confirmed as gunfire', f.confirmed],
            ['Withdrawn after publishing', f.withdrawn],
            ['Confirmed with no round count', f.roundsUnknown],
          ]}
        />
      </Figure>
      <Figure title="From shot to publication" method={m.publication}>
        <Table
          rows={[
            ['Published incidents', f.publication.published],
            ['Shot to published, median · 90th percentile', `${secs(f.publication.shotToPublished.p50S)} · ${secs(f.publication.shotToPublished.p90S)}`],
            ['Shot to first delivery acknowledged, median', secs(f.publication.shotToDelivered.p50S)],
          ]}
        />
        <LatencyChart report={report} />
      </Figure>
      <Figure title="What responders found" method={`${m.outcomes ?? ''} ${m.missing ?? ''}`} testId="figure-outcomes">
        <Table
          rows={[
            ['Confirmed incidents sent to an agency', o.sentToAgency],
            ['… with an outcome reported', o.reported],
            ['… with no outcome reported (missing)', `${o.missing} (${pct(o.missingShare)})`],
            ['Evidence of gunfire', `${o.evidence} (${pct(o.evidenceShareOfReported)} of reported, ${pct(o.evidenceShareOfSent)} of sent)`],
            ['Arrests', `${o.arrests} in ${o.incidentsWithArrest} incidents`],
            ['Firearms recovered', `${o.firearms} in ${o.incidentsWithFirearm} incidents`],
            ['Corrected or completed by a later report', o.revised],
          ]}
        />
        <FindingsChart report={report} />
      </Figure>
      <Figure title="Cost per outcome" method={m.cost}>
        {f.cost ? (
          <Table
            rows={[
              ['Yearly cost', money(f.cost.yearly, f.cost.currency)],
              [`Cost of the period (${f.period.days} days)`, money(f.cost.period, f.cost.currency)],
              ['Per confirmed incident', money(f.cost.perConfirmed, f.cost.currency)],
              ['Per incident with evidence', money(f.cost.perEvidence, f.cost.currency)],
              ['Per arrest', money(f.cost.perArrest, f.cost.currency)],
              ['Per firearm recovered', money(f.cost.perFirearm, f.cost.currency)],
            ]}
          />
        ) : (
          <p className="muted">The programme’s yearly cost has not been entered (an administrator sets it under Settings).</p>
        )}
      </Figure>
      <Figure title={`Where: confirmed incidents per ${report.map.cellM} m cell`} method={m.map} testId="figure-map">
        <GridMap cells={report.map.cells} cellM={report.map.cellM} />
        <p className="muted" data-testid="map-suppressed">
          {report.map.cells.length} cells shown; {report.map.suppressedCells} cells with fewer than {report.map.k} incidents ({report.map.suppressedIncidents}{' '}
          incidents) and {report.map.unplacedConfirmed} incidents with no position are left off the map but counted above.
        </p>
      </Figure>
    </article>
  );
}

const money = (v: number | null, currency: string) =>
  v === null ? '—' : new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(v);

function Tile({ label, value, testId }: { label: string; value: string | number; testId?: string }) {
  return (
    <div className="stats-tile" data-testid={testId}>
      <div className="stats-tile-value">{value}</div>
      <div className="stats-tile-label">{label}</div>
    </div>
  );
}

function Table({ rows }: { rows: [string, string | number][] }) {
  return (
    <table className="audit-table programme-table">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
