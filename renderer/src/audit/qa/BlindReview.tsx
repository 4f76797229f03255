import { useEffect, useRef, useState } from 'react';
import { decodePeaks, type AlertDetail, type ContractError } from '../../../../src/contract/index.ts';
import { useClient } from '../../client/context.tsx';
import { DecisionForm } from '../../decision/DecisionForm.tsx';
import type { DecisionInputDraft } from '../../decision/draft.ts';
import { MachineVerdict } from '../../decision/MachineVerdict.tsx';
import { IncidentSkeleton } from '../../incident/IncidentSkeleton.tsx';
import { TrackDeck } from '../../incident/TrackDeck.tsx';
import { IncidentMap } from '../../map/IncidentMap.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { formatUtcDateTime } from '../../ui/format.ts';

interface Props {
  alertId: number;
  onRecorded(): void;
}

/**
 * One blind second review: the alert exactly as it arrived (audio, sensors, the machine's
 * classification and location), and the reviewer's own decision form. It asks the core only
 * for getBlindAlert (a schema with no decision in it) and the peaks, so nothing of the first
 * decision can reach this page, whatever is rendered.
 */
export function BlindReview({ alertId, onRecorded }: Props) {
  const client = useClient();
  const [alert, setAlert] = useState<AlertDetail | null>(null);
  const [peaks, setPeaks] = useState<ReadonlyMap<string, ArrayLike<number>> | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [busy, setBusy] = useState(false);
  const openedAt = useRef(performance.now());
  const article = useRef<HTMLElement>(null);

  useEffect(() => {
    let live = true;
    void client.call('getBlindAlert', { alertId }).then((r) => {
      if (!live) return;
      // The blind schema has no decision fields; the views that draw an alert expect them empty.
      if (r.ok) setAlert({ ...r.value, decision: null, decisions: [] });
      else setError(r.error);
    });
    void client.call('getPeaks', { id: alertId }).then((r) => {
      if (live && r.ok) setPeaks(new Map(r.value.tracks.map((t) => [t.sensorId, decodePeaks(t.peaks)])));
    });
    return () => {
      live = false;
    };
  }, [client, alertId]);

  const shown = alert !== null;
  useEffect(() => {
    if (shown) article.current?.focus({ preventScroll: true });
  }, [shown]);

  const submit = async (draft: DecisionInputDraft) => {
    if (busy) return;
    setBusy(true);
    const reviewMs = Math.max(0, Math.round(performance.now() - openedAt.current));
    const r = await client.call('submitQaReview', { ...draft, alertId, reviewMs });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    onRecorded();
  };

  if (!alert) {
    return error ? (
      <div className="incident incident-error">
        <ErrorNote error={error} context="This second review could not be opened" />
      </div>
    ) : (
      <IncidentSkeleton />
    );
  }
  const solution = alert.solutions.at(-1);
  return (
    <article
      ref={article}
      className="incident"
      data-testid="blind-review"
      data-alert-id={alert.id}
      aria-label={`Second review of ${alert.externalId}`}
      tabIndex={-1}
      data-focus-home
    >
      <header className="incident-header">
        <h1>
          {alert.externalId}
          <span className="status-pill status-pending" title="A second, independent review of an alert chosen at random for quality checks">
            second review
          </span>
        </h1>
        <div className="incident-facts">
          <span title="detection time">{formatUtcDateTime(alert.detectedUs)}</span>
          <span>{alert.source}</span>
          <span>{alert.tracks.length} sensors</span>
          {solution && (
            <span title={`temperature from ${solution.temperatureSource}`}>
              {solution.temperatureC.toFixed(1)} °C · c = {solution.speedOfSoundMs.toFixed(1)} m/s
            </span>
          )}
        </div>
      </header>
      <div className="incident-body">
        <TrackDeck alert={alert} peaks={peaks} />
        <aside className="incident-side">
          <IncidentMap alert={alert} />
          <section className="decision-panel" aria-label="Your review" data-testid="decision-panel">
            <MachineVerdict alert={alert} />
            <p className="qa-blind-note">
              Judge the audio as if it were new: any earlier judgement stays hidden until yours is recorded. Nothing is published from here.
            </p>
            <DecisionForm prefilledRounds={solution?.rounds || alert.machine?.rounds || 1} busy={busy} onSubmit={(d) => void submit(d)} />
            <ErrorNote error={error} context="Not recorded" />
          </section>
        </aside>
      </div>
    </article>
  );
}
