import { tlsRequest, type TlsResponse } from './centre-tls.ts';

export type CentreBrowser = ReturnType<typeof centreBrowser>;

/**
 * A browser at a centre server: its own cookie jar (the browser key), sending the Host and Origin
 * a browser would, trusting only the centre's CA.
 */
export function centreBrowser(origin: string, ca: string) {
  let jar: string[] = [];
  const send = async (path: string, o: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<TlsResponse> => {
    const r = await tlsRequest(`${origin}${path}`, ca, {
      method: o.method ?? 'POST',
      headers: {
        host: new URL(origin).host,
        origin,
        'content-type': 'application/json',
        ...(jar.length ? { cookie: jar.join('; ') } : {}),
        ...o.headers,
      },
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
    });
    const set = r.headers['set-cookie'];
    for (const c of Array.isArray(set) ? set : []) {
      const pair = c.split(';')[0]!;
      const name = pair.split('=')[0]!;
      if (name === '__Host-ew_browser') jar = [...jar.filter((p) => !p.startsWith(`${name}=`)), pair];
    }
    return r;
  };
  let seat = '';
  return {
    get jar() {
      return jar;
    },
    get seat() {
      return seat;
    },
    send,
    async open(): Promise<TlsResponse> {
      const r = await send('/api/session', { body: {} });
      if (r.status === 200) seat = (JSON.parse(r.body) as { value: { sessionId: string } }).value.sessionId;
      return r;
    },
    async call(method: string, input: unknown = {}, as = seat) {
      const r = await send(`/api/${method}`, { body: input, headers: { 'x-earwitness-session': as } });
      return { status: r.status, result: JSON.parse(r.body) as { ok: boolean; value?: unknown; error?: { code: string; message: string } } };
    },
  };
}
