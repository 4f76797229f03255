import './incident.css';
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { AlertDetail, Claim, Decision } from '../../../src/contract/index.ts';
import { DecisionPanel } from '../decision/DecisionPanel.tsx';
import { IncidentMap } from '../map/IncidentMap.tsx';
import { RelocationLegend, RelocationMapLayers } from '../relocate/RelocationMap.tsx';
import { useRelocation } from '../relocate/useRelocation.ts';
import { useSeat } from '../seat/SeatContext.tsx';
import { useKeys } from '../keys/useKeys.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { IncidentHeader } from './IncidentHeader.tsx';
import { IncidentSkeleton } from './IncidentSkeleton.tsx';
import { TrackDeck } from './TrackDeck.tsx';
import { useAlertDetail, type AlertDetailState } from './useAlertDetail.ts';

interface Props {
  alertId: number;
  mode: 'review' | 'view';
  /** Shown on N while the core confirms this seat's claim: nothing is decided until it does. */
  claiming?: boolean;
  /** performance.now() when it was opened for review. */
  openedAt: number;
  /** Who holds it, when another seat does. */
  claim: Claim | null;
  onDecided(d: Decision): void;
  onUndone(c: Claim, reviewedMs: number): void;
}

/**
 * One alert: the tracks on one timeline, the map, and the decision. Mounted afresh for each
 * alert (keyed by id). Takes the focus when it opens, so the keys work without a click.
 */
export function IncidentView({ alertId, ...rest }: Props) {
  const state = useAlertDetail(alertId);
  const article = useRef<HTMLElement>(null);
  const shown = state.alert !== null;
  useEffect(() => {
    if (shown && !article.current?.contains(document.activeElement)) article.current?.focus({ preventScroll: true });
  }, [shown]);

  if (!state.alert) {
    return state.error ? (
      <div className="incident incident-error">
        <ErrorNote error={state.error} context={`Alert ${alertId} could not be opened`} />
      </div>
    ) : (
      <IncidentSkeleton />
    );
  }
  return <LoadedIncident {...rest} article={article} alert={state.alert} state={state} />;
}

interface LoadedProps extends Omit<Props, 'alertId'> {
  article: RefObject<HTMLElement | null>;
  alert: AlertDetail;
  state: AlertDetailState;
}

/** The alert once it arrived: what needs the alert itself (the re-location of its shots) lives here. Also drawn by IncidentWarmUp. */
export function LoadedIncident({ article, alert, state, mode, claiming = false, openedAt, claim, onDecided, onUndone }: LoadedProps) {
  const { peaks, error, reload } = state;
  const person = useSeat().state.person;
  const reviews = person?.roles.includes('reviewer') === true || person?.roles.includes('admin') === true;
  // Picks are moved by the seat that reviews the alert, or, once it is decided, by any reviewer (with a reason).
  const relocation = useRelocation(alert, mode === 'review' || (alert.status === 'decided' && reviews), reload);
  const complete = peaks !== null;
  // The map beside the decision is small on a laptop screen: V (or its button) lays it over the tracks.
  const [largeMap, setLargeMap] = useState(false);
  useKeys({ largeMap: () => setLargeMap((l) => !l) });
  // For the view bench (tests/bench/suites/view.ts): the whole view is mounted (its children's effects ran).
  useEffect(() => void performance.mark('ew:view-mounted'), []);
  return (
    <article
      ref={article}
      className="incident"
      data-testid="incident"
      data-alert-id={alert.id}
      // 'review' only once the core confirmed the claim: whatever reads it (a test, a bench) learns the seat holds the alert.
      data-mode={claiming ? 'claiming' : mode}
      data-status={alert.status}
      data-peaks={complete ? 'loaded' : 'loading'}
      aria-label={`Alert ${alert.externalId}`}
      tabIndex={-1}
      data-focus-home
    >
      <IncidentHeader alert={alert} mode={mode} />
      {error && <ErrorNote error={error} context="Part of this alert did not load" />}
      <div className={`incident-body${largeMap ? ' map-large' : ''}`}>
        <TrackDeck alert={alert} peaks={peaks} relocation={relocation} />
        <aside className="incident-side">
          <IncidentMap
            alert={alert}
            sources={<RelocationMapLayers relocation={relocation} />}
            legend={<RelocationLegend relocation={relocation} />}
            large={{ on: largeMap, toggle: () => setLargeMap((l) => !l) }}
          />
          <DecisionPanel
            alert={alert}
            mode={mode}
            claiming={claiming}
            openedAt={openedAt}
            claim={claim}
            onDecided={(d) => {
              onDecided(d);
              reload();
            }}
            onUndone={(c, reviewedMs) => {
              onUndone(c, reviewedMs);
              reload();
            }}
            onChanged={reload}
          />
        </aside>
      </div>
    </article>
  );
}
