import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { MethodInput, MethodName, MethodOutput, Role } from '../../src/contract/index.ts';

/** The repository root, from this file's place in tests/support. */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The Node that runs the CLI: the pinned one in node_modules/.bin (better-sqlite3 13 needs 22+),
 * or this process's own when that is missing (it is then run through npm, which pins it too).
 */
export const NODE = ((): string => {
  const pinned = `${REPO}node_modules/.bin/node`;
  return existsSync(pinned) ? pinned : process.execPath;
})();

const SERVING = /^Earwitness is serving (http:\/\/127\.0\.0\.1:(\d+)\/)#token=(\S+)$/m;

export interface RunningHost {
  /** http://127.0.0.1:PORT/ */
  origin: string;
  port: number;
  token: string;
  /** The full address the host printed, token included: what a person opens. */
  address: string;
  /** Everything the host wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** SIGTERM and wait: the host closes the store cleanly, as on Ctrl-C. */
  stop(): Promise<void>;
}

/**
 * `earwitness serve` as a child process on a data folder, with no demo feed unless asked.
 * Resolves once it printed its address; rejects with its stderr if it exits or stays silent.
 */
export async function startHostProcess(o: { dataDir: string; demo?: boolean; timeoutMs?: number; extraArgs?: string[] }): Promise<RunningHost> {
  const args = [`${REPO}bin/earwitness.mjs`, 'serve', '--data', o.dataDir, ...(o.demo ? [] : ['--no-demo']), ...(o.extraArgs ?? [])];
  const child: ChildProcess = spawn(NODE, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`earwitness serve printed no address within ${o.timeoutMs ?? 30_000} ms\nstdout: ${out}\nstderr: ${err}`));
    }, o.timeoutMs ?? 30_000);
    const check = () => {
      const m = SERVING.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve(m);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`earwitness serve exited (${code}) before serving\nstdout: ${out}\nstderr: ${err}`));
    });
  });

  const [line, origin, port, token] = match as unknown as [string, string, string, string];
  return {
    origin,
    port: Number(port),
    token,
    address: line.replace('Earwitness is serving ', ''),
    stderr: () => err,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * One HTTP request with exactly the headers given (fetch would refuse to forge Host or Origin,
 * which is what the host's checks are tested with).
 */
export function rawRequest(url: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // A body goes with its length: Node frames no body of a DELETE by itself, and the next request would read it.
    const headers =
      o.body !== undefined && !Object.keys(o.headers ?? {}).some((k) => k.toLowerCase() === 'content-length')
        ? { ...o.headers, 'content-length': String(Buffer.byteLength(o.body)) }
        : (o.headers ?? {});
    const req = httpRequest(url, { method: o.method ?? 'GET', headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

export type ApiResult<T = unknown> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; details?: unknown } };

/**
 * A contract client for scripts and tests: opens a seat with the token and calls /api/<method>.
 * Nobody is signed in on a new seat: call signIn, or use adminClient / personClient.
 */
export async function apiClient(host: Pick<RunningHost, 'origin' | 'token'>) {
  const post = async (path: string, body: unknown, sessionId?: string) => {
    const res = await fetch(new URL(path, host.origin), {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json', ...(sessionId ? { 'x-earwitness-session': sessionId } : {}) },
      body: JSON.stringify(body),
    });
    return (await res.json()) as ApiResult;
  };
  const session = await post('/api/session', {});
  if (!session.ok) throw new Error(`cannot open a session: ${session.error.message}`);
  const { sessionId, downloads } = session.value as { sessionId: string; downloads: string };
  const auth = { authorization: `Bearer ${host.token}`, 'x-earwitness-session': sessionId };
  const client = {
    sessionId,
    /** This seat's downloads path, /downloads/<tag>/. */
    downloads,
    /** Calls a method and returns its result as the core gave it (for tests of refusals). */
    async dispatch<M extends MethodName>(method: M, input: MethodInput<M>): Promise<ApiResult<MethodOutput<M>>> {
      return (await post(`/api/${method}`, input, sessionId)) as ApiResult<MethodOutput<M>>;
    },
    /** Calls a method and returns its value, throwing with the core's message on an error result. */
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      const r = await post(`/api/${method}`, input, sessionId);
      if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
      return r.value as MethodOutput<M>;
    },
    async signIn(name: string, password: string) {
      await client.call('signIn', { name, password });
      return client;
    },
    /** Sends files as one upload of this seat, as the UI does (POST /uploads, then one POST per file); returns its id. */
    async upload(files: readonly { name: string; bytes: Uint8Array }[]): Promise<string> {
      const opened = (await (await fetch(new URL('/uploads', host.origin), { method: 'POST', headers: auth })).json()) as ApiResult<{ uploadId: string }>;
      if (!opened.ok) throw new Error(`cannot open an upload: ${opened.error.message}`);
      for (const f of files) {
        const res = await fetch(new URL(`/uploads/${opened.value.uploadId}?name=${encodeURIComponent(f.name)}`, host.origin), {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/octet-stream' },
          body: f.bytes,
        });
        if (res.status !== 201) throw new Error(`upload of ${f.name}: HTTP ${res.status} ${await res.text()}`);
      }
      return opened.value.uploadId;
    },
    /** Uploads folders (each by its own name, as a folder input sends them) and imports the alerts in them: what importPaths did for the CLI. */
    async importFolders(dirs: readonly string[]): Promise<MethodOutput<'importAlertFiles'>> {
      // One upload per folder, so the outcomes come in the order given, as importPaths's did.
      const outcomes: MethodOutput<'importAlertFiles'>['outcomes'] = [];
      for (const d of dirs) {
        const uploadId = await client.upload(folderFiles(d));
        outcomes.push(...(await client.call('importAlertFiles', { files: { kind: 'upload', uploadId } })).outcomes);
      }
      return { outcomes };
    },
    /** GET one of this seat's downloads with the seat's header (the UI uses a plain link and the cookie). */
    async download(downloadId: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
      const res = await fetch(new URL(`${downloads}${downloadId}`, host.origin), { headers: auth });
      return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
    },
    /** Claims an alert and decides it, as a reviewer's seat does (decisions need the claim). */
    async decide(input: MethodInput<'decide'>): Promise<MethodOutput<'decide'>> {
      await client.call('claimAlert', { alertId: input.alertId });
      return client.call('decide', input);
    },
  };
  return client;
}
export type ApiClient = Awaited<ReturnType<typeof apiClient>>;

/** The first administrator every test store gets, and the password all test people share. */
export const ADMIN = { name: 'admin', password: 'admin password for tests' } as const;
export const PERSON_PASSWORD = 'reviewer password for tests';

/** A client signed in as the administrator; creates the first administrator on a new store. */
export async function adminClient(host: Pick<RunningHost, 'origin' | 'token'>): Promise<ApiClient> {
  const api = await apiClient(host);
  const seat = await api.call('getSeat', {});
  if (seat.needsFirstAdmin) await api.call('createFirstAdmin', { name: ADMIN.name, displayName: 'Test Administrator', password: ADMIN.password });
  else await api.signIn(ADMIN.name, ADMIN.password);
  return api;
}

/** Adds a person with these roles (if not there yet) and returns a client signed in as them. */
export async function personClient(host: Pick<RunningHost, 'origin' | 'token'>, name: string, roles: Role[], password = PERSON_PASSWORD): Promise<ApiClient> {
  const admin = await adminClient(host);
  const { accounts } = await admin.call('listAccounts', {});
  if (!accounts.some((a) => a.name === name)) {
    await admin.call('createAccount', { name, displayName: name[0]!.toUpperCase() + name.slice(1), password, roles });
  }
  return (await apiClient(host)).signIn(name, password);
}

/** Every file below a folder, named as a browser's folder input names them: the folder's own name, then the path in it. */
export function folderFiles(dir: string, prefix = basename(dir)): { name: string; bytes: Buffer }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? folderFiles(join(dir, e.name), `${prefix}/${e.name}`) : [{ name: `${prefix}/${e.name}`, bytes: readFileSync(join(dir, e.name)) }],
  );
}
