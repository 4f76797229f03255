import '../audit.css';
import { useState } from 'react';
import { Dialog } from '../../ui/Dialog.tsx';
import { ReportView } from '../report/ReportView.tsx';
import { IncidentTimeline } from './IncidentTimeline.tsx';

/**
 * The record of one alert, from wherever the alert is shown: its full history as a timeline and
 * the per-incident report, in one dialog. For an alert under blind QA review the core refuses
 * both to anyone who may not see its decision, and the dialog says so.
 */
export function AlertRecordActions({ alertId, label }: { alertId: number; label: string }) {
  const [open, setOpen] = useState(false);
  const [tab, setTab] = useState<'timeline' | 'report'>('timeline');
  return (
    <>
      <button
        type="button"
        className="btn btn-small record-open"
        onClick={() => setOpen(true)}
        data-testid="open-history"
        title="Every version of this alert from the audit log, and its report"
      >
        History
      </button>
      {open && (
        <Dialog title={`${label}: history`} onClose={() => setOpen(false)} testId="history-dialog">
          <div className="audit-tabs" role="tablist">
            <button type="button" role="tab" aria-selected={tab === 'timeline'} onClick={() => setTab('timeline')}>
              Timeline
            </button>
            <button type="button" role="tab" aria-selected={tab === 'report'} onClick={() => setTab('report')} data-testid="open-report">
              Report
            </button>
          </div>
          {tab === 'timeline' ? <IncidentTimeline alertId={alertId} /> : <ReportView alertId={alertId} />}
        </Dialog>
      )}
    </>
  );
}
