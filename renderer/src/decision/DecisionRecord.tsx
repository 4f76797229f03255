import { CLASS_LABELS, isGunfire, type Decision } from '../../../src/contract/index.ts';
import { formatDuration, formatUtcDateTime } from '../ui/format.ts';

/** A stored decision: what, who, when and how long the review took, as the core recorded it. */
export function DecisionRecord({ decision }: { decision: Decision }) {
  const flags = [decision.flags.fullyAutomatic && 'fully automatic', decision.flags.multipleShooters && 'several shooters'].filter(Boolean);
  return (
    <div
      className={`decision-record ${isGunfire(decision.class) || decision.class === 'probable_gunfire' ? 'is-gunfire' : 'is-rejected'}`}
      data-testid="decision-record"
    >
      <div className="decision-class">{CLASS_LABELS[decision.class]}</div>
      <dl>
        {decision.rounds !== null && (
          <div>
            <dt>Rounds</dt>
            <dd data-testid="decided-rounds">{decision.rounds}</dd>
          </div>
        )}
        {flags.length > 0 && (
          <div>
            <dt>Flags</dt>
            <dd>{flags.join(', ')}</dd>
          </div>
        )}
        <div>
          <dt>Decided by</dt>
          <dd data-testid="decided-by">{decision.decidedBy}</dd>
        </div>
        <div>
          <dt>At</dt>
          <dd data-testid="decided-at">{formatUtcDateTime(decision.decidedUs)}</dd>
        </div>
        <div>
          <dt>Review time</dt>
          <dd data-testid="review-time">{formatDuration(decision.reviewMs)}</dd>
        </div>
        {decision.notes && (
          <div>
            <dt>Notes</dt>
            <dd className="decision-notes">{decision.notes}</dd>
          </div>
        )}
      </dl>
    </div>
  );
}
