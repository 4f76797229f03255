import './queue.css';
import type { KeyboardEvent } from 'react';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { useNow } from '../ui/useNow.ts';
import { QueueItem } from './QueueItem.tsx';
import { orderPending, type QueueView } from './queue-list.ts';
import type { QueueState } from './useQueue.ts';
import type { PendingQueue } from './usePendingQueue.ts';

interface Props {
  view: QueueView;
  onView(v: QueueView): void;
  pending: PendingQueue;
  decided: QueueState;
  seat: string;
  selectedId: number | null;
  onOpen(id: number): void;
}

/** Up and Down move between alerts; Enter or Space opens one (they are buttons). */
function moveFocus(e: KeyboardEvent<HTMLUListElement>) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const items = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('button.queue-item')];
  const i = items.indexOf(document.activeElement as HTMLButtonElement);
  const next = items[Math.min(items.length - 1, Math.max(0, i + (e.key === 'ArrowDown' ? 1 : -1)))];
  if (next) {
    e.preventDefault();
    next.focus();
  }
}

const ORDER_LABEL = {
  likely_gunfire_first: 'likely gunfire first',
  within_budget_oldest_first: 'most urgent first',
  oldest_first: 'oldest first',
  newest_first: 'newest first',
} as const;

/** The queue: pending alerts in urgency order with their countdowns and claims, live; and the decided ones. */
export function QueuePanel({ view, onView, pending, decided, seat, selectedId, onOpen }: Props) {
  const localNow = useNow(1000);
  const nowUs = localNow * 1000 + pending.skewUs;
  const shown = view === 'pending' ? (pending.settings ? orderPending(pending.alerts, pending.settings, nowUs) : pending.alerts) : decided.alerts;
  const error = view === 'pending' ? pending.error : decided.error;
  const loaded = view === 'pending' ? pending.loaded : decided.loaded;
  return (
    <nav className="queue" aria-label="Alert queue">
      <div className="queue-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={view === 'pending'} onClick={() => onView('pending')} data-testid="tab-pending">
          Pending <span className="count">{pending.loaded ? pending.alerts.length : '…'}</span>
        </button>
        <button type="button" role="tab" aria-selected={view === 'decided'} onClick={() => onView('decided')} data-testid="tab-decided">
          Decided <span className="count">{decided.loaded ? decided.alerts.length : '…'}</span>
        </button>
      </div>
      {view === 'pending' && pending.settings && (
        <p className="queue-order muted">
          {ORDER_LABEL[pending.settings.queueOrder]} · {pending.settings.deadlineSeconds} s to decide · <kbd>N</kbd> next
        </p>
      )}
      <ErrorNote error={error} context="The queue could not be loaded" />
      {loaded && shown.length === 0 && !error && (
        <p className="queue-empty">{view === 'pending' ? 'No alerts waiting. New alerts appear here the moment they arrive.' : 'Nothing decided yet.'}</p>
      )}
      <ul className="queue-list" onKeyDown={moveFocus} data-testid={`queue-${view}`} data-own-arrows>
        {shown.map((a) => (
          <QueueItem key={a.id} alert={a} nowUs={nowUs} settings={pending.settings} seat={seat} selected={a.id === selectedId} onOpen={onOpen} />
        ))}
      </ul>
    </nav>
  );
}
