import {
  electronClipUrl,
  type EarwitnessClient,
  type EventName,
  type EventPayload,
  type MethodInput,
  type MethodName,
  type MethodOutput,
  type PreloadApi,
  type Result,
} from '../../../src/contract/index.ts';

/**
 * The contract over Electron IPC: the preload exposes one function per method; this gives them
 * the same shape as the loopback client, so the UI never knows which transport it has.
 */
export function wrapPreload(api: PreloadApi): EarwitnessClient {
  return {
    transport: 'electron',
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>> {
      const fn = api[method] as ((input: unknown) => Promise<Result<MethodOutput<M>>>) | undefined;
      if (typeof fn !== 'function') {
        return { ok: false, error: { code: 'unavailable', message: `this version of the app has no ${method}` } };
      }
      try {
        return await fn(input ?? {});
      } catch (e) {
        // IPC rejects only when main is gone or the call could not be cloned: say so as a value.
        return { ok: false, error: { code: 'unavailable', message: `the Earwitness core did not answer (${(e as Error).message})` } };
      }
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      return api.on(event, (payload) => listener(payload as EventPayload<E>));
    },
    clipUrl: electronClipUrl,
    // The desktop app never uploads: files are chosen in its native dialogs (choosePath grants), and outputs saved through them.
    upload: async () => ({ ok: false, error: { code: 'unavailable', message: 'the desktop app chooses files with its own dialogs' } }),
    downloadUrl: () => null,
  };
}
