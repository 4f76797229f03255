import { createContext, useContext, useLayoutEffect, useRef } from 'react';
import { actionFor, BINDINGS, type KeyAction, type KeyTableEntry } from './keymap.ts';
import { routeKey } from './route.ts';

type Handler = () => void;
export type KeyHandlers<A extends string = KeyAction> = Partial<Record<A, Handler>>;
interface Layer {
  readonly handlers: Partial<Record<string, Handler>>;
  readonly modal: boolean;
  /** The key table this layer reads keys with (a mode such as labelling has its own). */
  readonly table: readonly KeyTableEntry[];
}

/**
 * True inside a tree that must take no keys at all: the incident view drawn once out of sight
 * after sign-in (incident/IncidentWarmUp.tsx) binds the same keys as the real one would.
 */
export const KeysOff = createContext(false);

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
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    const action = actionFor(e, layer.table);
    const verdict = routeKey(e, action);
    if (verdict === 'leave-field') {
      e.preventDefault();
      returnFocus(e.target as Element);
      return;
    }
    const handler = verdict === 'act' && action ? layer.handlers[action] : undefined;
    if (handler || layer.modal) {
      if (verdict === 'ignore' || !action) return;
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
 * anywhere but a text field. Each layer reads keys with its own table: the seat's by default.
 */
export function useKeys<A extends string = KeyAction>(handlers: KeyHandlers<A>, options: { modal?: boolean; table?: readonly KeyTableEntry<A>[] } = {}): void {
  const ref = useRef(handlers);
  // Updated at commit, before the next key can arrive.
  useLayoutEffect(() => {
    ref.current = handlers;
  });
  const off = useContext(KeysOff);
  const modal = options.modal ?? false;
  const table = (options.table ?? BINDINGS) as readonly KeyTableEntry[];
  // In place at commit, before the browser paints: a key pressed as soon as the screen shows
  // (the first N after sign-in) is never lost to the gap before a passive effect runs.
  useLayoutEffect(() => {
    if (off) return;
    const layer: Layer = {
      get handlers() {
        return ref.current as Partial<Record<string, Handler>>;
      },
      modal,
      table,
    };
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
  }, [modal, table, off]);
}
