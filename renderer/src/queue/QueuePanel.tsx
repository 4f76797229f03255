import './queue.css';
import type { KeyboardEvent } from 'react';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { useNow } from '../ui/useNow.ts';
import { QueueItem } from './QueueItem.tsx';
import type { QueueView } from './queue-list.ts';
import type { QueueState } from './useQueue.ts';

interface Props {
  view: QueueView;
  onView(v: QueueView): void;
  pending: QueueState;
  decided: QueueState;
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

/** The queue: pending alerts newest first, live; and the decided ones. */
export function QueuePanel({ view, onView, pending, decided, selectedId, onOpen }: Props) {
  const now = useNow(1000);
  const shown = view === 'pending' ? pending : decided;
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
      <ErrorNote error={shown.error} context="The queue could not be loaded" />
      {shown.loaded && shown.alerts.length === 0 && !shown.error && (
        <p className="queue-empty">
          {view === 'pending' ? 'No alerts waiting. New alerts appear here the moment they arrive.' : 'Nothing decided yet.'}
        </p>
      )}
      <ul className="queue-list" onKeyDown={moveFocus} data-testid={`queue-${view}`}>
        {shown.alerts.map((a) => (
          <QueueItem key={a.id} alert={a} now={now} selected={a.id === selectedId} onOpen={onOpen} />
        ))}
      </ul>
    </nav>
  );
}
