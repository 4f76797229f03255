import {
  CLASS_LABELS,
  claimActive,
  clockAheadUs,
  deadlineUs,
  isGunfire,
  urgencyOf,
  waitingSinceUs,
  type AlertSummary,
  type QueueEntry,
  type SeatSettings,
} from '../../../src/contract/index.ts';
import { formatAge, formatConfidence, formatLabel, formatUtcTime } from '../ui/format.ts';
import { formatCountdown, splitId } from './queue-list.ts';
import { ClockAhead } from '../ui/ClockAhead.tsx';

interface Props {
  alert: AlertSummary | QueueEntry;
  /** Core time now, µs. */
  nowUs: number;
  settings: SeatSettings | null;
  /** This seat's tag: its own claim reads "you". */
  seat: string;
  selected: boolean;
  onOpen(id: number): void;
}

/**
 * One alert in the queue: machine label and confidence, the countdown to its deadline (amber,
 * then red), who holds it; for decided ones, the decision.
 */
export function QueueItem({ alert, nowUs, settings, seat, selected, onOpen }: Props) {
  const m = alert.machine;
  const d = alert.decision;
  const claim = 'claim' in alert && claimActive(alert.claim, nowUs) ? alert.claim : null;
  const pending = alert.status === 'pending' && settings !== null;
  // The countdown and the wait run from when the alert began to wait: a network clock running ahead does not postpone them.
  const since = waitingSinceUs(alert);
  const ahead = clockAheadUs(alert);
  const urgency = pending ? urgencyOf(since, nowUs, settings) : null;
  const mine = claim?.seat === seat;
  return (
    <li>
      <button
        type="button"
        className={`queue-item${urgency ? ` urgency-${urgency}` : ''}${claim && !mine ? ' is-claimed' : ''}`}
        data-testid="queue-item"
        data-alert-id={alert.id}
        data-urgency={urgency ?? undefined}
        aria-current={selected ? 'true' : undefined}
        onClick={() => onOpen(alert.id)}
      >
        <span className="qi-line">
          <span className={`qi-label ${m && /gun|shot/i.test(m.label) ? 'qi-label-gun' : ''}`}>{m ? formatLabel(m.label) : 'Unclassified'}</span>
          <span className="qi-conf">{formatConfidence(m?.confidence)}</span>
          {pending ? (
            <span
              className="qi-countdown"
              data-testid="queue-countdown"
              title={`deadline ${formatUtcTime(deadlineUs(since, settings), 0)} UTC, ${settings.deadlineSeconds} s after ${ahead ? 'it arrived' : 'detection'}`}
            >
              {formatCountdown(deadlineUs(since, settings) - nowUs)}
            </span>
          ) : (
            <span className="qi-age" title={`detected ${formatUtcTime(alert.detectedUs)} UTC`} data-testid="queue-age">
              {formatAge(nowUs / 1000 - alert.detectedUs / 1000)}
            </span>
          )}
        </span>
        <span className="qi-line">
          <QueueId id={alert.externalId} />
          <span className="qi-sensors">{alert.sensorCount} sensors</span>
        </span>
        <span className="qi-line qi-small">
          <span className="qi-source" title={alert.source}>
            {alert.source}
          </span>
          {ahead > 0 && <ClockAhead aheadUs={ahead} />}
          {claim ? (
            <span
              className={`qi-claim${mine ? ' is-mine' : ''}`}
              data-testid="queue-claim"
              title={`claimed until ${formatUtcTime(claim.expiresUs, 0)} UTC unless renewed`}
            >
              {mine ? 'open here' : `● ${claim.by}`}
            </span>
          ) : (
            <span className="qi-time" data-testid="queue-age">
              {pending ? `${formatAge(nowUs / 1000 - since / 1000)} ago` : `${formatUtcTime(alert.detectedUs, 0)} UTC`}
            </span>
          )}
        </span>
        {d && (
          <span className={`qi-decision ${isGunfire(d.class) ? 'is-gunfire' : 'is-rejected'}`}>
            {CLASS_LABELS[d.class]} <span className="muted">· {d.decidedBy}</span>
          </span>
        )}
      </button>
    </li>
  );
}

/** The id with its distinguishing end always shown (see splitId); the whole id in the tooltip. */
function QueueId({ id }: { id: string }) {
  const { head, tail } = splitId(id);
  return (
    <span className="qi-id" title={id} data-testid="queue-id">
      <span className="qi-id-head">{head}</span>
      {tail && <span className="qi-id-tail">{tail}</span>}
    </span>
  );
}
