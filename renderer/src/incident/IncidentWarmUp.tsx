import { startTransition, useEffect, useRef, useState, type CSSProperties } from 'react';
import { ClientProvider, useClient } from '../client/context.tsx';
import { KeysOff } from '../keys/useKeys.ts';
import { LoadedIncident } from './IncidentView.tsx';
import { standInClient, warmUpAlert, warmUpPeaks } from './warm-up-alert.ts';

let warmed = false;
const nothing = () => {};
/** The warm-up is taken down after this many frames even if something in it never drew. */
const MAX_FRAMES = 10;

/**
 * The incident view, drawn once out of sight on a made-up alert while the seat waits for the
 * reviewer's first N, then taken down. A trace of the first alert after sign-in found its view
 * taking about four times as long to render as every later one: the view's code compiled on the
 * spot and its styles resolved for the first time. Here that happens before the key.
 *
 * It reaches nothing: a stand-in client (no core call, no claim, no clip fetched), no keys (KeysOff),
 * hidden from sight, pointer and screen readers (inert, aria-hidden). Rendered as a transition at
 * idle time, so a key pressed meanwhile goes first; `active` false (an alert opened, another mode)
 * takes it down in that same commit.
 */
export function IncidentWarmUp({ active }: { active: boolean }) {
  const { transport } = useClient();
  const [running, setRunning] = useState(false);
  useEffect(() => {
    if (!active || warmed) return;
    const idle = requestIdleCallback(() => startTransition(() => setRunning(true)), { timeout: 2000 });
    return () => cancelIdleCallback(idle);
  }, [active]);
  if (!active || !running) return null;
  return (
    <WarmView
      transport={transport}
      onDone={() => {
        warmed = true;
        setRunning(false);
      }}
    />
  );
}

function WarmView({ transport, onDone }: { transport: ReturnType<typeof useClient>['transport']; onDone(): void }) {
  const [client] = useState(() => standInClient(transport));
  const [alert] = useState(() => warmUpAlert(Date.now() * 1000));
  const [state] = useState(() => ({ alert, peaks: warmUpPeaks(alert), error: null, reload: nothing }));
  // The stage's own size, so the tracks and the map are laid out as the first real alert's will be.
  const [box] = useState<CSSProperties>(() => {
    const stage = document.querySelector('.stage')?.getBoundingClientRect();
    return { width: stage?.width || 1400, height: stage?.height || 900 };
  });
  const [openedAt] = useState(() => performance.now());
  const article = useRef<HTMLElement>(null);
  const done = useRef(onDone);
  done.current = onDone;
  const shell = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Taken down once every track is drawn and the map's source placed (what the first real alert
    // waits for), a few frames at most: the tracks measure their lanes, then draw.
    let frames = 0;
    let frame = 0;
    const check = () => {
      const drawn = shell.current?.querySelectorAll('[data-testid=track][data-drawn=true]').length ?? 0;
      const source = shell.current?.querySelector('path.map-source') != null;
      if ((drawn < alert.tracks.length || !source) && ++frames < MAX_FRAMES) {
        frame = requestAnimationFrame(check);
        return;
      }
      performance.mark('ew:incident-warm', { detail: { frames, drawn, source, standInCalls: [...client.calls] } });
      done.current();
    };
    frame = requestAnimationFrame(check);
    return () => cancelAnimationFrame(frame);
  }, [client, alert]);
  return (
    <div
      ref={shell}
      className="incident-warm-up"
      data-testid="incident-warm-up"
      aria-hidden="true"
      inert
      style={{ ...box, position: 'fixed', left: -20000, top: 0, visibility: 'hidden', pointerEvents: 'none', contain: 'strict' }}
    >
      <KeysOff value={true}>
        <ClientProvider client={client}>
          <LoadedIncident article={article} alert={alert} state={state} mode="review" openedAt={openedAt} claim={null} onDecided={nothing} onUndone={nothing} />
        </ClientProvider>
      </KeysOff>
    </div>
  );
}
