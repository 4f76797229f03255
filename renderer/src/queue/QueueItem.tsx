import { CLASS_LABELS, isGunfire, type AlertSummary } from '../../../src/contract/index.ts';
import { formatAge, formatConfidence, formatLabel, formatUtcTime } from '../ui/format.ts';

interface Props {
  alert: AlertSummary;
  now: number;
  selected: boolean;
  onOpen(id: number): void;
}

/** One alert in the queue: machine label and confidence, age (ticking), sensor count; the decision once decided. */
export function QueueItem({ alert, now, selected, onOpen }: Props) {
  const m = alert.machine;
  const d = alert.decision;
  return (
    <li>
      <button
        type="button"
        className="queue-item"
        data-testid="queue-item"
        data-alert-id={alert.id}
        aria-current={selected ? 'true' : undefined}
        onClick={() => onOpen(alert.id)}
      >
        <span className="qi-line">
          <span className={`qi-label ${m && /gun|shot/i.test(m.label) ? 'qi-label-gun' : ''}`}>{m ? formatLabel(m.label) : 'Unclassified'}</span>
          <span className="qi-conf">{formatConfidence(m?.confidence)}</span>
          <span className="qi-age" title={`detected ${formatUtcTime(alert.detectedUs)} UTC`} data-testid="queue-age">
            {formatAge(now - alert.detectedUs / 1000)}
          </span>
        </span>
        <span className="qi-line">
          <span className="qi-id" title={alert.externalId}>{alert.externalId}</span>
          <span className="qi-sensors">{alert.sensorCount} sensors</span>
        </span>
        <span className="qi-line qi-small">
          <span className="qi-source" title={alert.source}>{alert.source}</span>
          <span className="qi-time">{formatUtcTime(alert.detectedUs, 0)} UTC</span>
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
