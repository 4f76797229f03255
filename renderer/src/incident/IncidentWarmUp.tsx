import { startTransition, useEffect, useLayoutEffect, useRef, useState, type CSSProperties } from 'react';
import { createPortal } from 'react-dom';
import { ClientProvider, useClient } from '../client/context.tsx';
import { KeysOff } from '../keys/useKeys.ts';
import { IncidentView } from './IncidentView.tsx';
import { prefetchAlert, prefetchSettled } from './prefetch.ts';
import { standInClient, warmUpAlert } from './warm-up-alert.ts';

let warmed = false;
const nothing = () => {};
/** The warm-up is taken down after this many frames even if something in it never drew. */
const MAX_FRAMES = 10;
/**
 * How many times the view is drawn out of sight, each at its own idle time. Drawn once, the view's
 * code was still on V8's first tiers when the first real alert came: a trace of the first N found
 * about forty of its functions compiled by Maglev on the spot (50-110 ms of the renderer's worker
 * threads, against 10-50 on the second N) while the main thread ran the slower code, on a
 * two-core machine. The first N's median against the second's, in Chromium with a fresh page per
 * sign-in (8 sign-ins each, interleaved): 2.2x with no warm-up, 1.4x with one pass, 1.0x with five.
 */
const PASSES = 5;

/**
 * The incident view, drawn a few times out of sight on a made-up alert while the seat waits for the
 * reviewer's first N, then taken down. A trace of the first alert after sign-in found its view
 * taking about four times as long to render as every later one: the view's code compiled on the
 * spot and its styles resolved for the first time. Here that happens before the key.
 *
 * It reaches nothing: a stand-in client (no core call, no claim, no clip fetched), no keys (KeysOff),
 * hidden from sight, pointer and screen readers (inert, aria-hidden), inside a closed shadow root
 * so no one looking for an open alert finds it. Rendered as a transition at
 * idle time, so a key pressed meanwhile goes first; `active` false (an alert opened, another mode)
 * takes it down in that same commit. Once a real alert was `opened` its code is warm: no warm-up
 * after that, which would only get in the way of the next alert.
 */
export function IncidentWarmUp({ active, opened }: { active: boolean; opened: boolean }) {
  const { transport } = useClient();
  const [running, setRunning] = useState(false);
  const [pass, setPass] = useState(0);
  useEffect(() => {
    if (opened) warmed = true;
  }, [opened]);
  useEffect(() => {
    if (!active || warmed) return;
    const idle = requestIdleCallback(() => startTransition(() => setRunning(true)), { timeout: 2000 });
    return () => {
      cancelIdleCallback(idle);
      // Cut short (another mode): a next try waits for idle time again.
      setRunning(false);
    };
  }, [active, pass]);
  if (!active || !running) return null;
  return (
    <WarmView
      key={pass}
      last={pass + 1 >= PASSES}
      transport={transport}
      onDone={() => {
        if (pass + 1 >= PASSES) warmed = true;
        setRunning(false);
        setPass(pass + 1);
      }}
    />
  );
}

function WarmView({ transport, last, onDone }: { transport: ReturnType<typeof useClient>['transport']; last: boolean; onDone(): void }) {
  const [alert] = useState(() => warmUpAlert(Date.now() * 1000));
  const [client] = useState(() => standInClient(transport, alert));
  // Opened as N opens a prefetched alert (useReview.next): shown while the claim is confirmed, then
  // confirmed once drawn. The first real N runs React's update path, not only its mount path:
  // traced, the first N compiled those functions (updateReducer, updateEffect) with Maglev on the spot.
  const [claiming, setClaiming] = useState(true);
  // The stage's own size, so the tracks and the map are laid out as the first real alert's will be.
  const [box] = useState<CSSProperties>(() => {
    const stage = document.querySelector('.stage')?.getBoundingClientRect();
    return { width: stage?.width || 1400, height: stage?.height || 900 };
  });
  const [openedAt] = useState(() => performance.now());
  const done = useRef(onDone);
  done.current = onDone;
  // In a closed shadow root: nothing reading the page (document.querySelector, a test, the view
  // bench waiting for an incident with its tracks drawn) can take the warm-up for a real alert.
  const host = useRef<HTMLDivElement>(null);
  const shadow = useRef<ShadowRoot | null>(null);
  const [inner, setInner] = useState<HTMLElement | null>(null);
  const [mount, setMount] = useState<HTMLElement | null>(null);
  useLayoutEffect(() => {
    if (!host.current || shadow.current) return;
    shadow.current = host.current.attachShadow({ mode: 'closed' });
    shadow.current.adoptedStyleSheets = [pageStyles()];
    const inner = document.createElement('div');
    inner.style.cssText = 'width:100%;height:100%';
    shadow.current.append(inner);
    setInner(inner);
  }, []);
  // The made-up alert's detail and peaks, fetched ahead from the stand-in as N's prefetch fetches
  // a real one's (prefetch.ts), so the view takes them, decodes the peaks and draws in its first render.
  useEffect(() => {
    if (!inner) return;
    prefetchAlert(client, alert.id);
    let live = true;
    void prefetchSettled(client, alert.id).then(() => live && setMount(inner));
    return () => {
      live = false;
    };
  }, [inner, client, alert]);
  useEffect(() => {
    if (!mount) return;
    // Taken down once every track is drawn and the map's source placed (what the first real alert
    // waits for) and the claim confirmed, a few frames at most: the tracks measure their lanes, then draw.
    let frames = 0;
    let frame = 0;
    const check = () => {
      const drawn = mount.querySelectorAll('[data-testid=track][data-drawn=true]').length;
      const source = mount.querySelector('path.map-source') !== null;
      if ((drawn < alert.tracks.length || !source) && ++frames < MAX_FRAMES) {
        frame = requestAnimationFrame(check);
        return;
      }
      if (claiming) return setClaiming(false);
      // One mark for the whole warm-up, when its last pass is done.
      if (last) performance.mark('ew:incident-warm', { detail: { passes: PASSES, frames, drawn, source, standInCalls: [...client.calls] } });
      done.current();
    };
    frame = requestAnimationFrame(check);
    return () => cancelAnimationFrame(frame);
  }, [client, alert, mount, last, claiming]);
  return (
    <div
      ref={host}
      data-testid="incident-warm-up"
      aria-hidden="true"
      inert
      style={{ ...box, position: 'fixed', left: -20000, top: 0, visibility: 'hidden', pointerEvents: 'none', contain: 'strict' }}
    >
      {mount &&
        createPortal(
          <KeysOff value={true}>
            <ClientProvider client={client}>
              <IncidentView alertId={alert.id} mode="review" claiming={claiming} openedAt={openedAt} claim={null} onDecided={nothing} onUndone={nothing} />
            </ClientProvider>
          </KeysOff>,
          mount,
        )}
    </div>
  );
}

/** The page's style rules in one sheet the shadow root can adopt (no request: read from the sheets already loaded). */
function pageStyles(): CSSStyleSheet {
  const rules: string[] = [];
  for (const sheet of document.styleSheets) {
    try {
      for (const rule of sheet.cssRules) rules.push(rule.cssText);
    } catch {
      // A sheet from another origin keeps its rules to itself; the page has none the view needs.
    }
  }
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(rules.join('\n'));
  return sheet;
}
