import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_NAMES, IPC_CHANNEL_PREFIX, IPC_EVENT_CHANNEL, METHOD_NAMES } from '../../../src/contract/index.ts';
import { tempDir } from '../../support/temp.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
let out: string;
let cleanup: () => void;

beforeAll(() => {
  ({ dir: out, cleanup } = tempDir('earwitness-main-build-'));
  execFileSync(process.execPath, ['scripts/build-main.mjs', '--outdir', out], { cwd: ROOT, stdio: 'pipe' });
}, 60_000);
afterAll(() => cleanup());

const requires = (code: string) => [...new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!))].sort();

describe('the main bundle', () => {
  it('needs only electron, better-sqlite3 (native, unpacked) and Node built-ins at run time', () => {
    const code = readFileSync(join(out, 'main.cjs'), 'utf8');
    // Node built-ins come with or without `node:` (pino and yazl, bundled in, name them the old way).
    for (const r of requires(code)) expect(isBuiltin(r) || /^(electron|better-sqlite3)$/.test(r), r).toBe(true);
    expect(requires(code)).toContain('better-sqlite3');
  });

  it('ships the ingest worker beside it, needing only Node built-ins', () => {
    const code = readFileSync(join(out, 'ingest-worker.cjs'), 'utf8');
    for (const r of requires(code)) expect(r, r).toMatch(/^node:[a-z/_]+$/);
    expect(code).toContain('parentPort');
  });

  it('gives each core module its own location, so package.json is found from dist/main as from src/core', () => {
    const code = readFileSync(join(out, 'main.cjs'), 'utf8');
    expect(code).not.toContain('import.meta');
    expect(code).toContain('__earwitnessModuleUrl("src/core/core.ts")');
  });
});

/**
 * The preload runs sandboxed, where `require` gives only Electron's renderer modules. It is
 * run here in a bare V8 context with a stand-in for those two Electron objects, to check the
 * API it hands the page.
 */
describe('the preload bundle', () => {
  type Invoke = { channel: string; args: unknown[] };
  function runPreload() {
    const invoked: Invoke[] = [];
    const ipcListeners: ((event: unknown, message: unknown) => void)[] = [];
    const exposed: Record<string, unknown> = {};
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
      ipcRenderer: {
        invoke: (channel: string, ...args: unknown[]) => (invoked.push({ channel, args }), Promise.resolve({ ok: true, value: null })),
        on: (channel: string, l: (event: unknown, message: unknown) => void) => {
          expect(channel).toBe(IPC_EVENT_CHANNEL);
          ipcListeners.push(l);
        },
      },
    };
    const required: string[] = [];
    const context = vm.createContext({
      require: (m: string) => (required.push(m), m === 'electron' ? electron : undefined),
      console,
      Map,
      Set,
      Error,
      Promise,
    });
    vm.runInContext(readFileSync(join(out, 'preload.cjs'), 'utf8'), context);
    return { invoked, ipcListeners, api: exposed.earwitness as Record<string, (...a: unknown[]) => unknown>, required };
  }

  it('is small, requires only electron, and carries no schema library', () => {
    const code = readFileSync(join(out, 'preload.cjs'), 'utf8');
    expect(requires(code)).toEqual(['electron']);
    expect(code.length).toBeLessThan(8_000);
    expect(code).not.toMatch(/ZodObject|zod/);
  });

  it('exposes one function per contract method, each one invoke on earwitness:<method> with at most one argument', async () => {
    const { api, invoked, required } = runPreload();
    expect(required).toEqual(['electron']);
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES, 'on'].sort());
    for (const m of METHOD_NAMES) await api[m]!({ probe: m });
    await api.getStatus!();
    expect(invoked.slice(0, METHOD_NAMES.length)).toEqual(METHOD_NAMES.map((m) => ({ channel: `${IPC_CHANNEL_PREFIX}${m}`, args: [{ probe: m }] })));
    expect(invoked.at(-1)).toEqual({ channel: `${IPC_CHANNEL_PREFIX}getStatus`, args: [] });
  });

  it('hands listeners the payload only, for known events, until they unsubscribe', () => {
    const { api, ipcListeners } = runPreload();
    const got: unknown[] = [];
    const off = api.on!('alertAdded', (p: unknown) => got.push(p)) as () => void;
    expect(() => api.on!('noSuchEvent', () => {})).toThrow(/no event/);
    const fire = (message: unknown) => ipcListeners.forEach((l) => l({ sender: 'the IPC event, never for the page' }, message));
    fire({ event: 'alertAdded', payload: { alert: 1 } });
    fire({ event: 'alertChanged', payload: { alert: 2 } });
    fire({ event: 'constructor', payload: 'x' });
    fire('garbage');
    off();
    fire({ event: 'alertAdded', payload: { alert: 3 } });
    expect(got).toEqual([{ alert: 1 }]);
    expect(EVENT_NAMES).toContain('alertAdded');
  });
});
