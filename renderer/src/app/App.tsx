import './app.css';
import { useEffect, useRef, useState } from 'react';
import { claimActive, waitingSinceUs } from '../../../src/contract/index.ts';
import { PeopleDialog } from '../admin/PeopleDialog.tsx';
import { AuditMode } from '../audit/AuditMode.tsx';
import { QaMode } from '../audit/qa/QaMode.tsx';
import { useQaTasks } from '../audit/qa/useQaTasks.ts';
import { IncidentView } from '../incident/IncidentView.tsx';
import { IncidentWarmUp } from '../incident/IncidentWarmUp.tsx';
import { KeysOverlay } from '../keys/KeysOverlay.tsx';
import { LabellingMode, type LabellingCommand } from '../labelling/LabellingMode.tsx';
import { PREFETCH_REFRESH_MS, prefetchAlert } from '../incident/prefetch.ts';
import { prepareAudio } from '../incident/playback/DeckPlayer.ts';
import { warmUpDrawing } from '../incident/warm-up.ts';
import { warmUpMap } from '../map/warm-up.ts';
import { useKeys } from '../keys/useKeys.ts';
import { QueuePanel } from '../queue/QueuePanel.tsx';
import { predictNext, type QueueView } from '../queue/queue-list.ts';
import { usePendingQueue } from '../queue/usePendingQueue.ts';
import { useQueue } from '../queue/useQueue.ts';
import { useSeat } from '../seat/SeatContext.tsx';
import { SettingsDialog } from '../settings/SettingsDialog.tsx';
import { firstMode, modesFor, type Mode } from './modes.ts';
import { StageEmpty } from './StageEmpty.tsx';
import { SupervisionMode } from '../supervision/SupervisionMode.tsx';
import { TopBar } from './TopBar.tsx';
import { useReview } from './useReview.ts';

/** The review seat: the queue on the left, the open alert on the right. */
export function App() {
  const seat = useSeat();
  const person = seat.state.person!;
  const canReview = person.roles.includes('reviewer') || person.roles.includes('admin');
  const canLabel = person.roles.includes('trainer') || person.roles.includes('admin');
  const [labellingCommand, setLabellingCommand] = useState<LabellingCommand | null>(null);
  const pending = usePendingQueue(seat.generation);
  const decided = useQueue('decided', seat.generation);
  const [view, setView] = useState<QueueView>('pending');
  const [help, setHelp] = useState(false);
  const [dialog, setDialog] = useState<'people' | 'settings' | null>(null);
  const review = useReview(canReview);
  const { open } = review;
  const [mode, setMode] = useState<Mode>(() => firstMode(person.roles));
  const qa = useQaTasks(person.roles.includes('reviewer'));
  const switchMode = (m: Mode) => {
    // Leaving the review gives a claimed alert back, so nobody waits on a seat that is auditing.
    if (m !== 'review' && mode === 'review') void review.leave();
    setMode(m);
  };

  const nowUs = Date.now() * 1000 + pending.skewUs;
  const { client } = seat;
  // The alert N would take next is fetched ahead, so it opens drawn (see incident/prefetch.ts). This
  // effect comes before the one opening alerts by itself: the core answers in turn, so a new alert's
  // detail and peaks are asked for ahead of its claim and the view draws while the claim is confirmed.
  const reviewing = canReview && mode === 'review' && !seat.state.locked;
  const predicted = reviewing && pending.settings ? predictNext(pending.alerts, pending.settings, nowUs, open?.id ?? null) : null;
  useEffect(() => {
    if (predicted === null) return;
    prefetchAlert(client, predicted);
    // A prefetched detail ages out (prefetch.ts): while the seat waits on one alert, keep it fresh.
    const timer = setInterval(() => prefetchAlert(client, predicted), PREFETCH_REFRESH_MS);
    return () => clearInterval(timer);
  }, [client, predicted]);

  // "Open the next alert by itself": whenever the stage is empty and an alert nobody holds is waiting.
  const autoNext = seat.state.preferences.autoNext && canReview && mode === 'review' && !seat.state.locked;
  const free = pending.alerts.some((a) => !claimActive(a.claim, nowUs));
  const asked = useRef(false);
  useEffect(() => {
    if (!autoNext || open || !free || review.busy || asked.current) return;
    asked.current = true;
    void review.next(predicted, 'auto').finally(() => (asked.current = false));
  }, [autoNext, open, free, review, predicted]);

  useKeys(
    mode === 'review'
      ? { next: () => void review.next(predicted), leave: () => void review.leave(), help: () => setHelp(true) }
      : { help: () => setHelp(true) },
  );

  // The audio the first incident plays through is opened, and the drawing path and a map run once,
  // while the reviewer reads the queue, so the first alert after sign-in opens as fast as the rest
  // (see prepareAudio, warmUpDrawing, warmUpMap; IncidentWarmUp below does the same for the whole view).
  useEffect(() => {
    if (!reviewing) return;
    const idle = requestIdleCallback(
      () => {
        prepareAudio();
        warmUpDrawing();
        warmUpMap();
      },
      { timeout: 1000 },
    );
    return () => cancelIdleCallback(idle);
  }, [reviewing]);

  const modeRef = useRef(mode);
  modeRef.current = mode;
  // The desktop menu asks for the same actions the seat offers (see src/contract/shell.ts).
  const setNotice = review.say;
  useEffect(
    () =>
      client.on('shellCommand', (c) => {
        if (c.command === 'showKeyboardHelp') setHelp(true);
        else if (c.command === 'setTheme') {
          void client.call('setMyPreferences', { theme: c.theme }).then((r) => r.ok && seat.apply({ ...seat.state, preferences: r.value }));
        } else if ((c.command === 'importAudio' && modeRef.current === 'labelling') || (c.command === 'exportDataset' && canLabel)) {
          // Audio to label and data set exports belong to the labelling mode.
          setMode('labelling');
          setLabellingCommand((p) => ({ kind: c.command as LabellingCommand['kind'], seq: (p?.seq ?? 0) + 1 }));
        } else if (c.command === 'importAlerts' || c.command === 'importAudio') {
          void client.call('chooseImport', { kind: c.command === 'importAlerts' ? 'alerts' : 'audio' }).then((r) => {
            if (!r.ok) return setNotice(r.error.message);
            if (r.value.cancelled) return;
            const n = (s: string) => r.value.outcomes.filter((o) => o.status === s).length;
            setNotice(`Imported ${n('imported')}, already there ${n('duplicate')}, refused ${n('refused')}.`);
          });
        }
      }),
    [client, seat, setNotice, canLabel],
  );

  const statusOf = (id: number) => (pending.alerts.some((a) => a.id === id) ? 'pending' : decided.alerts.some((a) => a.id === id) ? 'decided' : undefined);
  return (
    <div className="app">
      <TopBar
        modes={{ entries: modesFor(person.roles), current: mode, badges: { qa: qa.tasks.length }, onMode: switchMode }}
        onHelp={() => setHelp(true)}
        onPeople={() => setDialog('people')}
        onSettings={() => setDialog('settings')}
        onImported={(message) => {
          // The outcome shows on the review's notice line, where the imported alerts arrive in the queue.
          if (canReview) switchMode('review');
          setNotice(message);
        }}
      />
      {mode === 'labelling' && <LabellingMode command={labellingCommand} help={help} onCloseHelp={() => setHelp(false)} />}
      {mode === 'qa' && <QaMode />}
      {mode === 'audit' && <AuditMode />}
      {mode === 'supervision' && <SupervisionMode />}
      {mode === 'review' && (
        <div className="workspace">
          <QueuePanel
            view={view}
            onView={setView}
            pending={pending}
            decided={decided}
            seat={seat.state.seat}
            selectedId={open?.id ?? null}
            onOpen={(id) => void review.openAlert(id, statusOf(id))}
          />
          <main className="stage">
            {review.notice && (
              <div className="stage-notice" role="status" data-testid="stage-notice">
                {review.notice}
                <button type="button" className="link-button" onClick={review.dismissNotice} aria-label="Dismiss">
                  ×
                </button>
              </div>
            )}
            {open === null ? (
              <StageEmpty
                waiting={pending.alerts.length}
                oldestSinceUs={pending.alerts.reduce<number | null>((m, a) => Math.min(m ?? Infinity, waitingSinceUs(a)), null)}
                canReview={canReview}
              />
            ) : (
              <IncidentView
                key={open.id}
                alertId={open.id}
                mode={open.mode}
                claiming={open.claiming === true}
                openedAt={open.openedAt}
                claim={pending.alerts.find((a) => a.id === open.id)?.claim ?? null}
                onDecided={review.decided}
                onUndone={review.undone}
              />
            )}
          </main>
        </div>
      )}
      <IncidentWarmUp active={reviewing && open === null} opened={open !== null} />
      {help && mode !== 'labelling' && <KeysOverlay onClose={() => setHelp(false)} />}
      {dialog === 'people' && <PeopleDialog onClose={() => setDialog(null)} />}
      {dialog === 'settings' && <SettingsDialog onClose={() => setDialog(null)} />}
    </div>
  );
}
