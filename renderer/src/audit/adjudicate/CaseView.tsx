import { useState } from 'react';
import { CLASS_LABELS, type MethodOutput } from '../../../../src/contract/index.ts';
import { TrackDeck } from '../../incident/TrackDeck.tsx';
import { useAlertDetail } from '../../incident/useAlertDetail.ts';
import { IncidentMap } from '../../map/IncidentMap.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { formatUtcDateTime } from '../../ui/format.ts';
import { Corrections, useIncident } from '../../decision/Corrections.tsx';
import { draftFromDecision } from '../../decision/draft.ts';
import { useSeat } from '../../seat/SeatContext.tsx';
import { Judgement } from './Judgement.tsx';
import { VerdictForm } from './VerdictForm.tsx';

export type QaCase = MethodOutput<'listQaCases'>['cases'][number];

const VERDICT_WORDS = { first: 'upholds the first decision', second: 'upholds the second review', neither: 'differs from both' } as const;

/**
 * A QA case for the auditor: the audio and the map of the alert, then the two judgements side
 * by side and the verdict (a form while disputed, the record once adjudicated). All three stay
 * on record; the verdict does not change the standing decision, so a differing one says so.
 */
export function CaseView({
  qaCase,
  name,
  onAdjudicated,
  onHistory,
}: {
  qaCase: QaCase;
  name: string;
  onAdjudicated(): void;
  onHistory(alertId: number): void;
}) {
  const alertId = qaCase.sample.alertId;
  const { alert, peaks, error, reload } = useAlertDetail(alertId);
  const { incident } = useIncident(alertId);
  const person = useSeat().state.person;
  const mayCorrect = person?.roles.some((r) => r === 'reviewer' || r === 'admin') ?? false;
  const [standingDiffers, setStandingDiffers] = useState<boolean | null>(null);
  const { firstDecision: first, review, adjudication } = qaCase;
  const standing = alert?.decisions.filter((d) => d.undoneUs === null).at(-1) ?? null;
  return (
    <article className="adj-case" data-testid="qa-case" data-alert-id={alertId} data-state={qaCase.sample.state}>
      <header className="incident-header">
        <h1>
          {alert?.externalId ?? name}
          <span className={`status-pill qa-state-${qaCase.sample.state}`}>{qaCase.sample.state}</span>
        </h1>
        {alert && (
          <div className="incident-facts">
            <span>{formatUtcDateTime(alert.detectedUs)}</span>
            <span>{alert.source}</span>
            <span>{alert.tracks.length} sensors</span>
            <span title="Each decided alert gets a keyed random draw in [0, 1); it is reviewed again when the draw is below the QA share at the time">
              picked for QA: draw {qaCase.sample.draw.toFixed(3)} below the {Math.round(qaCase.sample.share * 1000) / 10} % share
            </span>
          </div>
        )}
        <button type="button" className="btn btn-small" onClick={() => onHistory(alertId)} data-testid="case-history">
          History
        </button>
      </header>
      <ErrorNote error={error} context="The alert could not be loaded" />
      {alert && (
        <div className="adj-media">
          <TrackDeck alert={alert} peaks={peaks} />
          <IncidentMap alert={alert} />
        </div>
      )}
      <div className="adj-judgements">
        {first ? (
          <Judgement
            title="First decision"
            testId="first-judgement"
            facts={{
              class: first.class,
              rounds: first.rounds,
              flags: first.flags,
              notes: first.notes,
              by: first.decidedBy,
              atUs: first.decidedUs,
              reviewMs: first.reviewMs,
            }}
          />
        ) : (
          <p className="muted">The first decision is not on record.</p>
        )}
        {review ? (
          <Judgement
            title="Blind second review"
            tone="second"
            testId="second-judgement"
            facts={{
              class: review.class,
              rounds: review.rounds,
              flags: review.flags,
              notes: review.notes,
              by: review.reviewer,
              atUs: review.reviewedUs,
              reviewMs: review.reviewMs,
            }}
          />
        ) : (
          <p className="muted judgement">The blind second review is not in yet.</p>
        )}
        {adjudication ? (
          <section className="judgement judgement-verdict" data-testid="verdict-record" aria-label="Verdict">
            <Judgement
              title="Verdict"
              tone="verdict"
              testId="verdict"
              facts={{
                class: adjudication.class,
                rounds: adjudication.rounds,
                notes: adjudication.notes,
                by: adjudication.auditor,
                atUs: adjudication.adjudicatedUs,
              }}
            />
            <p className="verdict-upholds">This verdict {VERDICT_WORDS[adjudication.verdict]}.</p>
          </section>
        ) : first && review && qaCase.sample.state === 'disputed' ? (
          <VerdictForm
            alertId={alertId}
            first={{ class: first.class, rounds: first.rounds, by: first.decidedBy }}
            second={{ class: review.class, rounds: review.rounds, by: review.reviewer }}
            onRecorded={(r) => {
              setStandingDiffers(r.standingDiffers);
              onAdjudicated();
            }}
          />
        ) : null}
      </div>
      {(standingDiffers || (adjudication && standing && standing.class !== adjudication.class)) && (
        <div className="adj-standing" role="status" data-testid="standing-differs">
          <p>
            The standing decision is {standing ? `“${CLASS_LABELS[standing.class]}” by ${standing.decidedBy}` : 'undone'}, which the verdict does not change.{' '}
            {mayCorrect
              ? 'Correct it here to the verdict; the agencies that have it get an update (or a cancel, if it is no longer gunfire).'
              : 'A reviewer or admin corrects it (the alert’s decision panel, or this case); the agencies that have it then get an update.'}
          </p>
          {mayCorrect && standing && adjudication && (
            <Corrections
              alertId={alertId}
              standing={standing}
              incident={incident}
              suggestion={{
                ...draftFromDecision({ class: adjudication.class, rounds: adjudication.rounds, flags: standing.flags }),
                notes: `QA verdict by ${adjudication.auditor}: ${adjudication.notes}`,
              }}
              onChanged={reload}
            />
          )}
        </div>
      )}
    </article>
  );
}
