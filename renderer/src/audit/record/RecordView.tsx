import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { useMethod } from '../useMethod.ts';
import { ExportPanel } from './ExportPanel.tsx';
import { QaSettingsPanel } from './QaSettingsPanel.tsx';
import { RecentEntries } from './RecentEntries.tsx';
import { VerifyPanel } from './VerifyPanel.tsx';

/** The record itself: verify it, export it for a court, the current head, the newest entries, and the QA settings. */
export function RecordView() {
  const head = useMethod('getAuditHead', {});
  return (
    <div className="audit-page record-view">
      <p className="record-head" data-testid="audit-head">
        {head.value ? (
          <>
            The log holds <strong>{head.value.entries}</strong> entries; its head is #{head.value.seq} <code>{head.value.hash}</code>
          </>
        ) : (
          'Reading the head of the log…'
        )}
      </p>
      <ErrorNote error={head.error} context="The head could not be read" />
      <div className="record-grid">
        <VerifyPanel onVerified={head.reload} />
        <ExportPanel />
        <QaSettingsPanel />
      </div>
      {head.value && <RecentEntries headSeq={head.value.seq} onReload={head.reload} />}
    </div>
  );
}
