import './incident.css';
import { useState } from 'react';
import type { Decision } from '../../../src/contract/index.ts';
import { DecisionPanel } from '../decision/DecisionPanel.tsx';
import { IncidentMap } from '../map/IncidentMap.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { IncidentHeader } from './IncidentHeader.tsx';
import { IncidentSkeleton } from './IncidentSkeleton.tsx';
import { TrackDeck } from './TrackDeck.tsx';
import { useAlertDetail } from './useAlertDetail.ts';

interface Props {
  alertId: number;
  onDecided(d: Decision): void;
}

/**
 * One alert under review: the tracks on a shared time axis, the map, and the decision. Mounted
 * afresh for each alert (keyed by id), so the review time starts when the reviewer opens it.
 */
export function IncidentView({ alertId, onDecided }: Props) {
  const [openedAt] = useState(() => performance.now());
  const { alert, peaks, error, reload } = useAlertDetail(alertId);

  if (!alert) {
    return error ? (
      <div className="incident incident-error">
        <ErrorNote error={error} context={`Alert ${alertId} could not be opened`} />
      </div>
    ) : (
      <IncidentSkeleton />
    );
  }
  return (
    <article className="incident" data-testid="incident" data-alert-id={alert.id} aria-label={`Alert ${alert.externalId}`}>
      <IncidentHeader alert={alert} />
      {error && <ErrorNote error={error} context="Part of this alert did not load" />}
      <div className="incident-body">
        <TrackDeck alert={alert} peaks={peaks} />
        <aside className="incident-side">
          <IncidentMap alert={alert} />
          <DecisionPanel
            alert={alert}
            openedAt={openedAt}
            onDecided={(d) => {
              onDecided(d);
              reload();
            }}
          />
        </aside>
      </div>
    </article>
  );
}
