import { formatAge } from '../ui/format.ts';
import { useNow } from '../ui/useNow.ts';

/** What the stage says when no alert is open: how many wait, for how long the oldest has, and how to take one. */
export function StageEmpty({ waiting, oldestSinceUs, canReview }: { waiting: number; oldestSinceUs: number | null; canReview: boolean }) {
  const now = useNow(1000);
  return (
    <div className="stage-empty" data-focus-home tabIndex={-1}>
      <div>
        <p className="stage-empty-title">{waiting === 0 ? 'No alerts waiting' : `${waiting} alert${waiting === 1 ? '' : 's'} waiting for review`}</p>
        {oldestSinceUs !== null && <p className="stage-empty-oldest">the longest has waited {formatAge(now - oldestSinceUs / 1000)}</p>}
        <p className="muted">
          {waiting === 0 ? (
            'New alerts appear in the queue the moment they arrive.'
          ) : canReview ? (
            <>
              Press <kbd>N</kbd> for the most urgent one, or open one from the queue. <kbd>?</kbd> shows every key.
            </>
          ) : (
            'You may look at alerts; reviewing them needs the reviewer role.'
          )}
        </p>
      </div>
    </div>
  );
}
