import { electronClipUrl, type EarwitnessClient, type EventName, type EventPayload, type MethodInput, type MethodName, type MethodOutput, type PreloadApi, type Result } from '../../../src/contract/index.ts';

/** The preload's bridge, when this page runs in the Electron shell. */
export function preloadApi(): PreloadApi | undefined {
  return (globalThis as { earwitness?: PreloadApi }).earwitness;
}

/**
 * The contract over Electron IPC: each call goes through `window.earwitness.<method>`, which the
 * preload turns into one ipcRenderer.invoke that main checks and hands to the core.
 */
export function electronClient(api: PreloadApi): EarwitnessClient {
  return {
    transport: 'electron',
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>> {
      const fn = api[method] as ((input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>) | undefined;
      if (typeof fn !== 'function') return { ok: false, error: { code: 'unavailable', message: `this version of the app has no ${method}` } };
      try {
        return await fn(input);
      } catch (e) {
        return { ok: false, error: { code: 'unavailable', message: `the app did not answer (${(e as Error).message})` } };
      }
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      return api.on(event, listener as (payload: unknown) => void);
    },
    clipUrl: electronClipUrl,
  };
}
