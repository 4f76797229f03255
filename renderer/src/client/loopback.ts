import type {
  ContractError,
  EarwitnessClient,
  EventName,
  EventPayload,
  MethodInput,
  MethodName,
  MethodOutput,
  Result,
  UploadFile,
} from '../../../src/contract/index.ts';

type Listener = (payload: unknown) => void;

const TOKEN_KEY = 'earwitness.token';
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;

const unavailable = (message: string): { ok: false; error: ContractError } => ({ ok: false, error: { code: 'unavailable', message } });

/** Reads a host reply as a contract result, whatever came back (a proxy's HTML page, an empty body). */
async function readResult<T>(res: Response): Promise<Result<T>> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as Result<T>;
    if (body && typeof body === 'object' && typeof body.ok === 'boolean') return body;
  } catch {
    /* not JSON: fall through */
  }
  return unavailable(`the host answered HTTP ${res.status} without a result`);
}

/**
 * The contract over the loopback host: reads the run's token from the URL fragment once,
 * opens a session (which also sets the HttpOnly cookie for <audio> and the WebSocket), then
 * removes the token from the address bar. A host restart on the same token is survived: a 401
 * opens a new session once, and the event socket reopens its session before reconnecting.
 */
export async function connectLoopback(location: Location = window.location): Promise<EarwitnessClient> {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  // No token: a centre server (https), where this browser's own key travels in an HttpOnly cookie the host sets.
  const token = fromHash ?? sessionStorage.getItem(TOKEN_KEY);
  const centre = !token && location.protocol === 'https:';
  if (!token && !centre) throw new Error('No access token: open the full address that `earwitness serve` printed (it ends with #token=...).');
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  if (fromHash) history.replaceState(null, '', location.pathname + location.search);
  const auth = (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

  const headers = (sessionId?: string): Record<string, string> => ({
    'content-type': 'application/json',
    ...auth(),
    ...(sessionId ? { 'x-earwitness-session': sessionId } : {}),
  });

  // One session request at a time: concurrent 401s share it instead of opening one each.
  let opening: Promise<string> | null = null;
  /** Where this seat's downloads are (the host scopes the seat's cookie to it). */
  let downloadsBase = '/downloads/';
  const openSession = (): Promise<string> => {
    opening ??= (async () => {
      const res = await fetch('/api/session', { method: 'POST', headers: headers(), body: '{}', credentials: 'same-origin' });
      const body = await readResult<{ sessionId: string; downloads: string }>(res);
      if (!body.ok) {
        if (res.status === 401) sessionStorage.removeItem(TOKEN_KEY);
        throw new Error(body.error.message);
      }
      downloadsBase = body.value.downloads;
      return body.value.sessionId;
    })().finally(() => (opening = null));
    return opening;
  };
  let sessionId = await openSession();

  const listeners = new Map<string, Set<Listener>>();
  let socket: WebSocket | null = null;
  let retryMs = RETRY_MIN_MS;
  let lastOpenFailed = false;

  const dispatch = (data: unknown) => {
    let message: { event?: unknown; payload?: unknown };
    try {
      message = JSON.parse(String(data)) as typeof message;
    } catch {
      return;
    }
    if (typeof message.event !== 'string') return;
    for (const l of listeners.get(message.event) ?? []) {
      try {
        l(message.payload);
      } catch (e) {
        console.error(`listener of ${message.event} failed`, e);
      }
    }
  };

  const connectEvents = async () => {
    if (lastOpenFailed) {
      // The host forgot our session (restart): open a new one before the socket asks again.
      try {
        sessionId = await openSession();
      } catch {
        return scheduleReconnect();
      }
    }
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${proto}://${location.host}/api/events?session=${encodeURIComponent(sessionId)}`);
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      retryMs = RETRY_MIN_MS;
    };
    ws.onmessage = (m) => dispatch(m.data);
    ws.onclose = () => {
      if (socket !== ws) return;
      lastOpenFailed = !opened;
      scheduleReconnect();
    };
  };
  const scheduleReconnect = () => {
    setTimeout(() => void connectEvents(), retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  };
  void connectEvents();

  return {
    transport: 'loopback',
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>> {
      const post = () => fetch(`/api/${method}`, { method: 'POST', headers: headers(sessionId), body: JSON.stringify(input ?? {}) });
      try {
        let res = await post();
        if (res.status === 401) {
          // The host restarted and forgot our session: open a new one once, and move the socket to it.
          sessionId = await openSession();
          socket?.close();
          res = await post();
        }
        return await readResult<MethodOutput<M>>(res);
      } catch (e) {
        return unavailable(`the Earwitness host did not answer (${(e as Error).message})`);
      }
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener as Listener);
      return () => void set.delete(listener as Listener);
    },
    clipUrl: (sha256: string) => `/clips/${encodeURIComponent(sha256)}`,
    upload: (files, onProgress) => uploadFiles(files, () => ({ ...auth(), 'x-earwitness-session': sessionId }), onProgress),
    downloadUrl: (downloadId: string) => `${downloadsBase}${encodeURIComponent(downloadId)}`,
  };
}

/**
 * Sends files to the host as one upload: `POST /uploads` opens it, then each file is one
 * `POST /uploads/<id>?name=<relative name>` with its bytes as the body (the browser streams a File
 * from disk), two at a time. On any refusal the upload is discarded and the host's reason returned.
 */
async function uploadFiles(
  files: readonly UploadFile[],
  auth: () => Record<string, string>,
  onProgress?: (sent: number, total: number) => void,
): Promise<Result<{ uploadId: string }>> {
  const total = files.reduce((n, f) => n + f.size, 0);
  let sent = 0;
  try {
    const opened = await readResult<{ uploadId: string }>(await fetch('/uploads', { method: 'POST', headers: auth() }));
    if (!opened.ok) return opened;
    const { uploadId } = opened.value;
    const queue = [...files];
    let failure: ContractError | null = null;
    const worker = async () => {
      for (let f = queue.shift(); f && !failure; f = queue.shift()) {
        const res = await fetch(`/uploads/${encodeURIComponent(uploadId)}?name=${encodeURIComponent(f.name)}`, {
          method: 'POST',
          headers: { ...auth(), 'content-type': 'application/octet-stream' },
          body: f.body as Blob,
        });
        const r = await readResult<unknown>(res);
        if (!r.ok) failure ??= { ...r.error, message: `${f.name}: ${r.error.message}` };
        sent += f.size;
        onProgress?.(sent, total);
      }
    };
    await Promise.all([worker(), worker()]);
    if (failure) {
      await fetch(`/uploads/${encodeURIComponent(uploadId)}`, { method: 'DELETE', headers: auth() }).catch(() => undefined);
      return { ok: false, error: failure };
    }
    return { ok: true, value: { uploadId } };
  } catch (e) {
    return unavailable(`the upload did not reach the host (${(e as Error).message})`);
  }
}
