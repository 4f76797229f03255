import { clockAheadUs, type AlertDetail } from '../../../src/contract/index.ts';
import { ClockAhead } from '../ui/ClockAhead.tsx';
import { formatUtcDateTime } from '../ui/format.ts';

/** Which alert this is: its id at the source, when it was detected, the network and the weather the locator used. */
export function IncidentHeader({ alert, mode }: { alert: AlertDetail; mode: 'review' | 'view' }) {
  const solution = alert.solutions.at(-1);
  return (
    <header className="incident-header">
      <h1>
        {alert.externalId}
        <span className={`status-pill status-${alert.status}`}>{alert.status}</span>
        {alert.status === 'pending' && (
          <span className={`status-pill mode-${mode}`} data-testid="review-mode">
            {mode === 'review' ? 'open for review here' : 'looking only'}
          </span>
        )}
      </h1>
      <div className="incident-facts">
        <span title="detection time, as the network sent it">{formatUtcDateTime(alert.detectedUs)}</span>
        {clockAheadUs(alert) > 0 && <ClockAhead aheadUs={clockAheadUs(alert)} />}
        <span>{alert.source}</span>
        <span>{alert.tracks.length} sensors</span>
        {solution && (
          <span title={`temperature from ${solution.temperatureSource}`}>
            {solution.temperatureC.toFixed(1)} °C · c = {solution.speedOfSoundMs.toFixed(1)} m/s
          </span>
        )}
        {alert.coordinates === 'local' && <span title="positions in local metres, as research data sets publish them">local frame</span>}
      </div>
    </header>
  );
}
