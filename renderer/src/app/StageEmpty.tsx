import { formatAge } from '../ui/format.ts';
import { useNow } from '../ui/useNow.ts';

/** What the stage says when no alert is open: how many wait, and for how long the oldest has. */
export function StageEmpty({ waiting, oldestDetectedUs }: { waiting: number; oldestDetectedUs: number | null }) {
  const now = useNow(1000);
  return (
    <div className="stage-empty">
      <div>
        <p className="stage-empty-title">{waiting === 0 ? 'No alerts waiting' : `${waiting} alert${waiting === 1 ? '' : 's'} waiting for review`}</p>
        {oldestDetectedUs !== null && <p className="stage-empty-oldest">the oldest detected {formatAge(now - oldestDetectedUs / 1000)} ago</p>}
        <p className="muted">
          {waiting === 0
            ? 'New alerts appear in the queue the moment they arrive.'
            : 'Open one from the queue: click it, or move with ↑ ↓ and press Enter.'}
        </p>
      </div>
    </div>
  );
}
