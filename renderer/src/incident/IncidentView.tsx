import './incident.css';
import { useEffect, useRef } from 'react';
import type { Claim, Decision } from '../../../src/contract/index.ts';
import { DecisionPanel } from '../decision/DecisionPanel.tsx';
import { IncidentMap } from '../map/IncidentMap.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { IncidentHeader } from './IncidentHeader.tsx';
import { IncidentSkeleton } from './IncidentSkeleton.tsx';
import { TrackDeck } from './TrackDeck.tsx';
import { useAlertDetail } from './useAlertDetail.ts';

interface Props {
  alertId: number;
  mode: 'review' | 'view';
  /** performance.now() when it was opened for review. */
  openedAt: number;
  /** Who holds it, when another seat does. */
  claim: Claim | null;
  onDecided(d: Decision): void;
  onUndone(c: Claim): void;
}

/**
 * One alert: the tracks on one timeline, the map, and the decision. Mounted afresh for each
 * alert (keyed by id). Takes the focus when it opens, so the keys work without a click.
 */
export function IncidentView({ alertId, mode, openedAt, claim, onDecided, onUndone }: Props) {
  const { alert, peaks, error, reload } = useAlertDetail(alertId);
  const article = useRef<HTMLElement>(null);
  const shown = alert !== null;
  useEffect(() => {
    if (shown && !article.current?.contains(document.activeElement)) article.current?.focus({ preventScroll: true });
  }, [shown]);

  if (!alert) {
    return error ? (
      <div className="incident incident-error">
        <ErrorNote error={error} context={`Alert ${alertId} could not be opened`} />
      </div>
    ) : (
      <IncidentSkeleton />
    );
  }
  const complete = peaks !== null;
  return (
    <article
      ref={article}
      className="incident"
      data-testid="incident"
      data-alert-id={alert.id}
      data-mode={mode}
      data-status={alert.status}
      data-peaks={complete ? 'loaded' : 'loading'}
      aria-label={`Alert ${alert.externalId}`}
      tabIndex={-1}
      data-focus-home
    >
      <IncidentHeader alert={alert} mode={mode} />
      {error && <ErrorNote error={error} context="Part of this alert did not load" />}
      <div className="incident-body">
        <TrackDeck alert={alert} peaks={peaks} />
        <aside className="incident-side">
          <IncidentMap alert={alert} />
          <DecisionPanel
            alert={alert}
            mode={mode}
            openedAt={openedAt}
            claim={claim}
            onDecided={(d) => {
              onDecided(d);
              reload();
            }}
            onUndone={(c) => {
              onUndone(c);
              reload();
            }}
          />
        </aside>
      </div>
    </article>
  );
}
