import { Agent, request } from 'node:https';
import { WebSocket } from 'ws';

/** A call's answer as a seat sees it: the contract's envelope, or a transport failure (server gone, database away). */
export type Answer = { ok: true; value: unknown } | { ok: false; code: string; message: string; transport: boolean };

/**
 * One browser at a centre server, as a seat's page is to it: its own cookie jar (the browser
 * key), a seat opened with POST /api/session, contract calls to /api/METHOD, events on the
 * WebSocket. Everything over TLS, trusting only the centre's CA.
 */
export class CentreBrowser {
  private jar = '';
  private seat = '';
  private socket: WebSocket | null = null;
  private agent: Agent;

  /** `localAddress`: the loopback address this browser connects from (a balancer keeps each source on one server). */
  constructor(
    readonly origin: string,
    private readonly ca: string,
    private readonly localAddress?: string,
  ) {
    this.agent = new Agent({ keepAlive: true, ca, maxSockets: 2, ...(localAddress ? { localAddress } : {}) });
  }

  private send(path: string, body: unknown, timeoutMs = 15_000): Promise<{ status: number; json: unknown }> {
    return new Promise((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = request(
        `${this.origin}${path}`,
        {
          method: 'POST',
          agent: this.agent,
          servername: 'localhost',
          timeout: timeoutMs,
          headers: {
            host: new URL(this.origin).host,
            origin: this.origin,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(payload)),
            ...(this.jar ? { cookie: this.jar } : {}),
            ...(this.seat ? { 'x-earwitness-session': this.seat } : {}),
          },
        },
        (res) => {
          for (const c of res.headers['set-cookie'] ?? []) if (c.startsWith('__Host-ew_browser=')) this.jar = c.split(';')[0]!;
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            let json: unknown = null;
            try {
              json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              /* left null: the caller reports the status */
            }
            resolve({ status: res.statusCode ?? 0, json });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Opens a seat (a fresh browser key) and signs the person in. */
  async open(name: string, password: string): Promise<Answer> {
    this.jar = '';
    this.seat = '';
    const opened = await this.call('session', {});
    if (!opened.ok) return opened;
    this.seat = (opened.value as { sessionId: string }).sessionId;
    return this.call('signIn', { name, password });
  }

  async call(method: string, input: unknown): Promise<Answer> {
    try {
      const r = await this.send(`/api/${method}`, input);
      const env = r.json as { ok?: boolean; value?: unknown; error?: { code: string; message: string } } | null;
      if (env?.ok === true) return { ok: true, value: env.value };
      return { ok: false, code: env?.error?.code ?? `http_${r.status}`, message: env?.error?.message ?? `HTTP ${r.status}`, transport: r.status >= 500 };
    } catch (e) {
      return { ok: false, code: 'transport', message: (e as Error).message, transport: true };
    }
  }

  /** Listens for events; `closed` is called once when the socket ends (its server died, or the seat was closed). */
  listen(onEvent: (event: string, payload: unknown, atMs: number) => void, closed: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${this.origin.replace('https:', 'wss:')}/api/events?session=${encodeURIComponent(this.seat)}`, {
        ca: this.ca,
        headers: { origin: this.origin, cookie: this.jar },
        ...(this.localAddress ? { localAddress: this.localAddress } : {}),
      });
      this.socket = ws;
      let opened = false;
      ws.on('message', (data) => {
        const at = performance.now();
        const m = JSON.parse(data.toString()) as { event: string; payload: unknown };
        onEvent(m.event, m.payload, at);
      });
      ws.once('open', () => {
        opened = true;
        resolve();
      });
      ws.once('error', (e) => {
        if (!opened) reject(e);
      });
      ws.once('close', () => {
        if (opened) closed();
        else reject(new Error('the event socket closed before it opened'));
      });
    });
  }

  /** Drops the connections (its server died) but keeps the browser: its key, its seat. */
  disconnect(): void {
    this.socket?.removeAllListeners('close');
    this.socket?.terminate();
    this.socket = null;
    this.agent.destroy();
    this.agent = new Agent({ keepAlive: true, ca: this.ca, maxSockets: 2, ...(this.localAddress ? { localAddress: this.localAddress } : {}) });
  }

  close(): void {
    this.socket?.removeAllListeners('close');
    this.socket?.terminate();
    this.agent.destroy();
  }
}
