import { useMemo, useState } from 'react';
import { CLASS_LABELS } from '../../../../src/contract/index.ts';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { formatLabel, formatUtcDateTime } from '../../ui/format.ts';
import { ReportView } from '../report/ReportView.tsx';
import { useMethod } from '../useMethod.ts';
import { IncidentTimeline } from './IncidentTimeline.tsx';

/** Any alert's history for the auditor: find it by its id at the source, read its timeline, make its report. */
export function HistoryView({ alertId, onAlert }: { alertId: number | null; onAlert(id: number | null): void }) {
  const alerts = useMethod('listAlerts', { status: 'all', limit: 1000 });
  const [query, setQuery] = useState('');
  const [tab, setTab] = useState<'timeline' | 'report'>('timeline');
  const list = useMemo(() => {
    const q = query.trim().toLowerCase();
    const all = alerts.value?.alerts ?? [];
    return q ? all.filter((a) => a.externalId.toLowerCase().includes(q) || a.source.toLowerCase().includes(q) || String(a.id) === q) : all;
  }, [alerts.value, query]);
  const chosen = alerts.value?.alerts.find((a) => a.id === alertId) ?? null;
  return (
    <div className="audit-split">
      <nav className="queue" aria-label="Alerts">
        <div className="audit-search">
          <input
            type="search"
            placeholder="Find an alert by id or source"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            aria-label="Find an alert"
            data-testid="history-search"
          />
        </div>
        <ErrorNote error={alerts.error} context="The alerts could not be loaded" />
        <ul className="queue-list" data-testid="history-alerts">
          {list.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                className="queue-item"
                aria-current={a.id === alertId ? 'true' : undefined}
                onClick={() => onAlert(a.id)}
                data-testid="history-alert"
              >
                <span className="qi-line">
                  <span className="qi-id">{a.externalId}</span>
                  <span className="qi-age">{a.status}</span>
                </span>
                <span className="qi-line qi-small">
                  <span>{a.decision ? CLASS_LABELS[a.decision.class] : a.machine ? `machine: ${formatLabel(a.machine.label)}` : 'unclassified'}</span>
                  <span className="qi-source">{a.source}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <section className="audit-stage audit-page">
        {alertId === null ? (
          <div className="stage-empty">
            <div className="stage-empty-title">Choose an alert to read its history</div>
          </div>
        ) : (
          <>
            <header className="audit-page-header">
              <h2>{chosen ? chosen.externalId : `Alert ${alertId}`}</h2>
              {chosen && (
                <span className="muted">
                  {chosen.source} · detected {formatUtcDateTime(chosen.detectedUs)}
                </span>
              )}
              <div className="audit-tabs" role="tablist">
                <button type="button" role="tab" aria-selected={tab === 'timeline'} onClick={() => setTab('timeline')}>
                  Timeline
                </button>
                <button type="button" role="tab" aria-selected={tab === 'report'} onClick={() => setTab('report')} data-testid="history-report-tab">
                  Report
                </button>
              </div>
            </header>
            {tab === 'timeline' ? <IncidentTimeline key={alertId} alertId={alertId} /> : <ReportView key={alertId} alertId={alertId} />}
          </>
        )}
      </section>
    </div>
  );
}
