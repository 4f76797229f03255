import './clock-ahead.css';
import { formatAge } from './format.ts';

/** The network stamped the alert later than this centre received it: its clock runs ahead, and so may every time it sent. */
export function ClockAhead({ aheadUs }: { aheadUs: number }) {
  return (
    <span
      className="clock-ahead"
      data-testid="clock-ahead"
      title={`detected ${formatAge(aheadUs / 1000)} after this centre received it: the network's clock runs ahead. The wait and the deadline count from its arrival.`}
    >
      clock +{formatAge(aheadUs / 1000)}
    </span>
  );
}
