/**
 * The only bridge between the page and the app: `window.earwitness`, one function per contract
 * method (an ipcRenderer.invoke on `earwitness:<method>`), plus event subscription. Runs
 * sandboxed and bundled into one CommonJS file; the page never sees ipcRenderer or an IPC event.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { EventName, MethodName, PreloadApi } from '../src/contract/index.ts';
import { IPC_CHANNEL_PREFIX, IPC_EVENT_CHANNEL } from '../src/contract/ipc.ts';

// Inlined by scripts/build-main.mjs from the contract itself, so the preload carries no schemas.
declare const __EARWITNESS_METHOD_NAMES__: readonly MethodName[];
declare const __EARWITNESS_EVENT_NAMES__: readonly EventName[];
const METHOD_NAMES = __EARWITNESS_METHOD_NAMES__;
const EVENT_NAMES = __EARWITNESS_EVENT_NAMES__;

type Listener = (payload: unknown) => void;
const listeners = new Map<EventName, Set<Listener>>();
const eventNames = new Set<string>(EVENT_NAMES);

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, message: unknown) => {
  if (!message || typeof message !== 'object') return;
  const { event, payload } = message as { event?: unknown; payload?: unknown };
  if (typeof event !== 'string' || !eventNames.has(event)) return;
  for (const l of listeners.get(event as EventName) ?? []) {
    try {
      l(payload);
    } catch (e) {
      console.error(`a listener of ${event} failed`, e);
    }
  }
});

const api: Record<string, unknown> = {
  on(event: EventName, listener: Listener): () => void {
    if (!eventNames.has(event)) throw new Error(`no event ${String(event)}`);
    if (typeof listener !== 'function') throw new Error('listener must be a function');
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    set.add(listener);
    return () => void set.delete(listener);
  },
};
for (const method of METHOD_NAMES) {
  // Exactly one argument crosses, so main can refuse anything else.
  api[method] = (input?: unknown) =>
    input === undefined ? ipcRenderer.invoke(`${IPC_CHANNEL_PREFIX}${method}`) : ipcRenderer.invoke(`${IPC_CHANNEL_PREFIX}${method}`, input);
}

contextBridge.exposeInMainWorld('earwitness', api as PreloadApi);
