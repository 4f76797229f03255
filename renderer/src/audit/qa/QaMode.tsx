import '../audit.css';
import { useState } from 'react';
import { useKeys } from '../../keys/useKeys.ts';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { formatAge, formatUtcTime } from '../../ui/format.ts';
import { useNow } from '../../ui/useNow.ts';
import { BlindReview } from './BlindReview.tsx';
import { useQaTasks } from './useQaTasks.ts';

/**
 * The reviewer's second reviews: alerts another reviewer decided, chosen at random for quality
 * checks, to be judged again without seeing the first judgement. Laid out like the review
 * queue: the tasks on the left, the alert on the stage. N opens the next task, Esc closes.
 */
export function QaMode() {
  const { tasks, loaded, error, reload } = useQaTasks(true);
  const [openId, setOpenId] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const now = useNow(5000);
  const next = () => {
    const t = tasks.find((x) => x.alertId !== openId);
    setNotice(t ? null : 'No other second review is waiting.');
    if (t) setOpenId(t.alertId);
  };
  useKeys({ next, leave: () => setOpenId(null) });
  return (
    <div className="workspace" data-testid="qa-mode">
      <nav className="queue" aria-label="Second reviews">
        <div className="queue-tabs" role="tablist">
          <button type="button" role="tab" aria-selected="true" data-testid="tab-qa">
            Second reviews <span className="count">{loaded ? tasks.length : '…'}</span>
          </button>
        </div>
        <p className="queue-order muted">
          chosen at random from decided alerts · judge them blind · <kbd>N</kbd> next
        </p>
        <ErrorNote error={error} context="The list could not be loaded" />
        {loaded && tasks.length === 0 ? (
          <p className="queue-empty muted">No second review is waiting for you.</p>
        ) : (
          <ul className="queue-list" data-testid="qa-tasks">
            {tasks.map((t) => (
              <li key={t.alertId}>
                <button
                  type="button"
                  className="queue-item"
                  data-testid="qa-task"
                  data-alert-id={t.alertId}
                  aria-current={openId === t.alertId ? 'true' : undefined}
                  onClick={() => setOpenId(t.alertId)}
                >
                  <span className="qi-line">
                    <span className="qi-id" title={t.externalId}>
                      {t.externalId}
                    </span>
                    <span className="qi-age" title={`detected ${formatUtcTime(t.detectedUs)} UTC`}>
                      {formatAge(now - t.detectedUs / 1000)}
                    </span>
                  </span>
                  <span className="qi-line qi-small">
                    <span className="qi-source">{t.source}</span>
                    <span className="qi-sensors">{t.sensorCount} sensors</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </nav>
      <main className="stage">
        {notice && (
          <div className="stage-notice" role="status" data-testid="stage-notice">
            {notice}
            <button type="button" className="link-button" onClick={() => setNotice(null)} aria-label="Dismiss">
              ×
            </button>
          </div>
        )}
        {openId === null ? (
          <div className="stage-empty">
            <div>
              <div className="stage-empty-title">
                {tasks.length > 0 ? `${tasks.length} second review${tasks.length === 1 ? '' : 's'} waiting` : 'Nothing to review again'}
              </div>
              <p className="muted">
                Open one from the list, or press <kbd>N</kbd>.
              </p>
            </div>
          </div>
        ) : (
          <BlindReview
            key={openId}
            alertId={openId}
            onRecorded={() => {
              setNotice('Your second review is recorded.');
              setOpenId(null);
              void reload();
            }}
          />
        )}
      </main>
    </div>
  );
}
