import './audit.css';
import { useState } from 'react';
import { AdjudicationView } from './adjudicate/AdjudicationView.tsx';
import { HistoryView } from './history/HistoryView.tsx';
import { LabellersView } from './LabellersView.tsx';
import { RecordView } from './record/RecordView.tsx';
import { StatsView } from './stats/StatsView.tsx';
import { ProgrammeView } from '../programme/ProgrammeView.tsx';

type Tab = 'adjudicate' | 'stats' | 'programme' | 'labellers' | 'history' | 'record';

const TABS: { id: Tab; label: string; hint: string }[] = [
  { id: 'adjudicate', label: 'QA cases', hint: 'Disagreements between a decision and its blind second review, for your verdict' },
  { id: 'stats', label: 'Statistics', hint: 'Agreement, review times and changes after publishing, for a period' },
  { id: 'programme', label: 'Programme report', hint: 'What the alerts led to: figures, outcomes from agencies, cost, the public transparency report' },
  { id: 'labellers', label: 'Labellers', hint: 'How far the trainers of a labelling project agree, per class' },
  { id: 'history', label: 'Incident history', hint: 'Every version of any alert, from the audit log; its report' },
  { id: 'record', label: 'The record', hint: 'Verify the hash chain and every clip; export it; QA settings' },
];

/** The auditor's mode: QA cases to adjudicate, statistics, any incident's history and report, and the record itself. */
export function AuditMode({ initialAlertId = null }: { initialAlertId?: number | null }) {
  const [tab, setTab] = useState<Tab>(initialAlertId !== null ? 'history' : 'adjudicate');
  const [alertId, setAlertId] = useState<number | null>(initialAlertId);
  const showHistory = (id: number) => {
    setAlertId(id);
    setTab('history');
  };
  return (
    <div className="audit-mode" data-testid="audit-mode">
      <nav className="audit-tabs audit-mode-tabs" role="tablist" aria-label="Audit">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            title={t.hint}
            onClick={() => setTab(t.id)}
            data-testid={`audit-tab-${t.id}`}
          >
            {t.label}
          </button>
        ))}
      </nav>
      <div className="audit-body">
        {tab === 'adjudicate' && <AdjudicationView onHistory={showHistory} />}
        {tab === 'stats' && <StatsView />}
        {tab === 'programme' && <ProgrammeView />}
        {tab === 'labellers' && <LabellersView />}
        {tab === 'history' && <HistoryView alertId={alertId} onAlert={setAlertId} />}
        {tab === 'record' && <RecordView />}
      </div>
    </div>
  );
}
