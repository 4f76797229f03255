import type { EarwitnessClient, EventName, EventPayload, MethodInput, MethodName, MethodOutput, Result } from '../../../src/contract/index.ts';

type Listener = (payload: unknown) => void;

/**
 * The contract over the loopback host: reads the run's token from the URL fragment once,
 * opens a session (which also sets the HttpOnly cookie for <audio> and the WebSocket), then
 * removes the token from the address bar.
 */
export async function connectLoopback(location: Location = window.location): Promise<EarwitnessClient> {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  const token = fromHash ?? sessionStorage.getItem('earwitness.token');
  if (!token) throw new Error('No access token: open the address that `earwitness serve` printed.');
  sessionStorage.setItem('earwitness.token', token);
  if (fromHash) history.replaceState(null, '', location.pathname + location.search);

  const headers = (sessionId?: string): Record<string, string> => ({
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    ...(sessionId ? { 'x-earwitness-session': sessionId } : {}),
  });
  const open = async (): Promise<string> => {
    const res = await fetch('/api/session', { method: 'POST', headers: headers(), body: '{}' });
    const body = (await res.json()) as Result<{ sessionId: string }>;
    if (!body.ok) throw new Error(body.error.message);
    return body.value.sessionId;
  };
  let sessionId = await open();

  const listeners = new Map<string, Set<Listener>>();
  let socket: WebSocket | null = null;
  let retry = 500;
  const connectEvents = () => {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${proto}://${location.host}/api/events?session=${encodeURIComponent(sessionId)}`);
    socket.onopen = () => (retry = 500);
    socket.onmessage = (m) => {
      const { event, payload } = JSON.parse(String(m.data)) as { event: string; payload: unknown };
      listeners.get(event)?.forEach((l) => l(payload));
    };
    socket.onclose = () => {
      setTimeout(connectEvents, retry);
      retry = Math.min(retry * 2, 10_000);
    };
  };
  connectEvents();

  return {
    transport: 'loopback',
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>> {
      const post = () => fetch(`/api/${method}`, { method: 'POST', headers: headers(sessionId), body: JSON.stringify(input ?? {}) });
      try {
        let res = await post();
        if (res.status === 401) {
          // The host restarted and forgot our session: open a new one once.
          sessionId = await open();
          socket?.close();
          res = await post();
        }
        return (await res.json()) as Result<MethodOutput<M>>;
      } catch (e) {
        return { ok: false, error: { code: 'unavailable', message: `the Earwitness host did not answer (${(e as Error).message})` } };
      }
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
    clipUrl: (sha256: string) => `/clips/${sha256}`,
  };
}
