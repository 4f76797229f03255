import './app.css';
import { useState } from 'react';
import { IncidentView } from '../incident/IncidentView.tsx';
import { QueuePanel } from '../queue/QueuePanel.tsx';
import type { QueueView } from '../queue/queue-list.ts';
import { useQueue } from '../queue/useQueue.ts';
import { StageEmpty } from './StageEmpty.tsx';
import { TopBar } from './TopBar.tsx';

/** The review seat: the queue on the left, the open alert on the right. */
export function App() {
  const pending = useQueue('pending');
  const decided = useQueue('decided');
  const [view, setView] = useState<QueueView>('pending');
  const [openId, setOpenId] = useState<number | null>(null);

  return (
    <div className="app">
      <TopBar />
      <div className="workspace">
        <QueuePanel view={view} onView={setView} pending={pending} decided={decided} selectedId={openId} onOpen={setOpenId} />
        <main className="stage">
          {openId === null ? (
            <StageEmpty waiting={pending.alerts.length} oldestDetectedUs={pending.alerts.at(-1)?.detectedUs ?? null} />
          ) : (
            <IncidentView key={openId} alertId={openId} onDecided={(d) => pending.remove(d.alertId)} />
          )}
        </main>
      </div>
    </div>
  );
}
