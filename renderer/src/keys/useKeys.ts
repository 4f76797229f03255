import { useEffect, useLayoutEffect, useRef } from 'react';
import { actionFor, type KeyAction } from './keymap.ts';
import { routeKey } from './route.ts';

type Handler = () => void;
export type KeyHandlers = Partial<Record<KeyAction, Handler>>;
interface Layer {
  readonly handlers: KeyHandlers;
  readonly modal: boolean;
}

/** The layers of handlers, newest last: a dialog's layer shadows the seat's while it is open. */
const layers: Layer[] = [];
let listening = false;

/** Where focus goes when it leaves a text field with Esc: the open incident, or the page. */
function returnFocus(field: Element): void {
  (field as HTMLElement).blur();
  document.querySelector<HTMLElement>('[data-focus-home]')?.focus();
}

function onKeyDown(e: KeyboardEvent): void {
  if (e.isComposing || e.defaultPrevented) return;
  const action = actionFor(e);
  const verdict = routeKey(e, action);
  if (verdict === 'ignore' || !action) return;
  if (verdict === 'leave-field') {
    e.preventDefault();
    returnFocus(e.target as Element);
    return;
  }
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    const handler = layer.handlers[action];
    if (handler || layer.modal) {
      e.preventDefault();
      e.stopPropagation();
      handler?.();
      return;
    }
  }
}

/**
 * Binds actions to handlers while the component is mounted. One listener on the window (capture
 * phase, so Space plays even when a button has focus), dispatching to the newest layer that
 * handles the action; a modal layer (a dialog) swallows every other action. Focus can be
 * anywhere but a text field.
 */
export function useKeys(handlers: KeyHandlers, options: { modal?: boolean } = {}): void {
  const ref = useRef(handlers);
  // Updated at commit, before the next key can arrive.
  useLayoutEffect(() => {
    ref.current = handlers;
  });
  const modal = options.modal ?? false;
  useEffect(() => {
    const layer: Layer = { get handlers() { return ref.current; }, modal };
    layers.push(layer);
    if (!listening) {
      window.addEventListener('keydown', onKeyDown, { capture: true });
      listening = true;
    }
    return () => {
      layers.splice(layers.indexOf(layer), 1);
      if (layers.length === 0) {
        window.removeEventListener('keydown', onKeyDown, { capture: true });
        listening = false;
      }
    };
  }, [modal]);
}
