import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** Lints a planted snippet as if it were the file at `path` (nothing is written to disk). */
async function lint(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return result!.messages
    .filter((m) => m.ruleId === 'architecture/layers' || m.ruleId === 'no-restricted-globals' || m.ruleId === '@typescript-eslint/triple-slash-reference')
    .map((m) => m.message);
}

const bad: [string, string, RegExp][] = [
  ['src/store/x.ts', "import { app } from 'electron';\nexport const a = app;", /never imports electron/],
  ['src/store/x.ts', "import type { BrowserWindow } from 'electron';\nexport type W = BrowserWindow;", /never imports electron/],
  ['src/store/x.ts', "export type W = import('electron').BrowserWindow;", /never imports electron/],
  ['src/store/x.ts', "export const m = await import('electron');", /never imports electron/],
  ['src/store/x.ts', "export const m = require('electron/main');", /never imports electron/],
  ['src/store/x.ts', "import e = require('electron');\nexport const a = e;", /never imports electron/],
  ['src/review/x.ts', "export * from 'react';", /UI libraries/],
  ['src/review/x.ts', "import L from 'leaflet';\nexport const a = L;", /UI libraries/],
  ['src/core/x.ts', "import { Seats } from '../../main/seats.ts';\nexport const a = Seats;", /Electron shell/],
  ['src/core/x.ts', "export { x } from '../../renderer/src/main.tsx';", /never imports the renderer/],
  ['src/core/x.ts', "import { tempDir } from '../../tests/support/temp.ts';\nexport const a = tempDir;", /never imports tests/],
  ['src/audio/x.ts', 'export const w = window.innerWidth;', /no DOM \(window\)/],
  ['src/audio/x.ts', "export const c = document.createElement('canvas');", /no DOM \(document\)/],
  ['src/audio/x.ts', 'export const ctx = new AudioContext();', /no DOM \(AudioContext\)/],
  ['src/audio/x.ts', '/// <reference lib="dom" />\nexport const a = 1;', /triple slash reference/i],
  ['src/contract/x.ts', "import { Store } from '../store/store.ts';\nexport type S = Store;", /imports only zod and its own files/],
  ['src/contract/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;", /imports only zod/],
  ['renderer/src/x.ts', "import { Store } from '../../src/store/store.ts';\nexport const s = Store;", /only through src\/contract/],
  // Spelled to look like the contract, lands in the store: judged by where it lands.
  ['renderer/src/x.ts', "import { Store } from '../../src/store/store.ts';\nexport const s = Store;", /only through src\/contract/],
  ['renderer/src/x.ts', "export const m = import('../../src/core/core.ts');", /only through src\/contract/],
  ['renderer/src/x.ts', "import { guardSession } from '../../main/guards.ts';\nexport const g = guardSession;", /only through src\/contract/],
  ['renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;", /has no electron/],
  ['renderer/src/x.ts', "import { readFile } from 'fs';\nexport const r = readFile;", /has no Node/],
  ['renderer/src/x.ts', "import { readFile } from 'node:fs/promises';\nexport const r = readFile;", /has no Node/],
  ['renderer/src/x.ts', "import Database from 'better-sqlite3';\nexport const d = Database;", /has no Node/],
  ['main/policy/x.ts', "import { app } from 'electron';\nexport const a = app;", /no electron here/],
  ['main/policy/x.ts', "import { Seats } from '../seats.ts';\nexport const s = Seats;", /may not import the Electron parts/],
  ['main/x.ts', "import { x } from '../renderer/src/main.tsx';\nexport const a = x;", /never imports the renderer/],
  ['src/kernel/x.ts', "import { Store } from '../store/store.ts';\nexport type S = Store;", /imports only src\/contract, src\/util and itself, not src\/store/],
  ['src/kernel/x.ts', "import { Core } from '../core/core.ts';\nexport type C = Core;", /not src\/core/],
  ['src/kernel/queries/x.ts', "export type R = import('../../review/decide.ts').X;", /not src\/review/],
  ['src/kernel/x.ts', "import { Kysely } from 'kysely';\nexport type K = Kysely<never>;", /only src\/store talks to the database/],
  ['src/kernel/x.ts', "import WebSocket from 'ws';\nexport const w = WebSocket;", /no package but zod/],
  ['src/review/x.ts', "import Database from 'better-sqlite3';\nexport const d = Database;", /only src\/store talks to the database: better-sqlite3/],
  ['src/audit/x.ts', "import type { PoolClient } from 'pg';\nexport type C = PoolClient;", /only src\/store talks to the database: pg/],
  ['src/core/x.ts', "import { sql } from 'kysely';\nexport const s = sql;", /only src\/store talks to the database: kysely/],
  // The floors: a service never imports the composition root, nothing below the services imports one.
  ['src/review/x.ts', "import { openCore } from '../core/core.ts';\nexport const o = openCore;", /src\/review may not import src\/core, a floor above it/],
  ['src/audit/qa/x.ts', "import type { Core } from '../../core/core.ts';\nexport type C = Core;", /src\/audit may not import src\/core/],
  ['src/store/x.ts', "import { decide } from '../review/decide.ts';\nexport const d = decide;", /src\/store may not import src\/review/],
  ['src/audio/x.ts', "export type S = import('../locate/solve.ts').Solution;", /src\/audio may not import src\/locate/],
  ['src/util/x.ts', "import { Store } from '../kernel/store-port.ts';\nexport type S = Store;", /src\/util may not import src\/kernel/],
  ['src/core/x.ts', "import { startHost } from '../host/server.ts';\nexport const s = startHost;", /src\/core may not import src\/host/],
  ['src/host/x.ts', "import { main } from '../cli.ts';\nexport const m = main;", /src\/host may not import src\/cli.ts/],
];

const good: [string, string][] = [
  [
    'src/store/x.ts',
    "import Database from 'better-sqlite3';\nimport { readFileSync } from 'node:fs';\nimport { z } from 'zod';\nexport const a = [Database, readFileSync, z];",
  ],
  ['src/review/x.ts', "import { methods } from '../contract/index.ts';\nimport { Store } from '../store/store.ts';\nexport const a = [methods, Store];"],
  // Services on one floor use each other; the floors above use those below.
  [
    'src/review/x.ts',
    "import { announceIncidentTx } from '../publish/announce.ts';\nimport type { Handlers } from '../kernel/handlers.ts';\nexport const a = announceIncidentTx;\nexport type H = Handlers<'decide'>;",
  ],
  ['src/core/x.ts', "import { reviewHandlers } from '../review/decide.ts';\nexport const r = reviewHandlers;"],
  ['src/cli/x.ts', "import { startHost } from '../host/server.ts';\nimport { openCore } from '../core/core.ts';\nexport const a = [startHost, openCore];"],
  ['src/locate/x.ts', "import { readWav } from '../audio/wav.ts';\nexport const r = readWav;"],
  ['src/audio/x.ts', 'export const f = (u: string) => fetch(new URL(u));\nexport const t = new TextDecoder();'],
  ['src/contract/x.ts', "import { z } from 'zod';\nimport { Id } from './common.ts';\nexport const a = z.object({ id: Id });"],
  [
    'renderer/src/x.ts',
    "import { methods } from '../../src/contract/index.ts';\nimport L from 'leaflet';\nimport { createRoot } from 'react-dom/client';\nexport const a = [methods, L, createRoot, window.location];",
  ],
  ['renderer/src/map/x.ts', "import { connectLoopback } from '../client/loopback.ts';\nexport const a = connectLoopback;"],
  [
    'main/x.ts',
    "import { app } from 'electron';\nimport { openCore } from '../src/core/core.ts';\nimport { isAppUrl } from './policy/urls.ts';\nexport const a = [app, openCore, isAppUrl];",
  ],
  ['main/policy/x.ts', "import { parseRange } from '../../src/host/range.ts';\nimport { join } from 'node:path';\nexport const a = [parseRange, join];"],
  [
    'src/kernel/x.ts',
    "import { methods } from '../contract/index.ts';\nimport { canonicalJson } from '../util/canonical.ts';\nimport { AsyncLocalStorage } from 'node:async_hooks';\nimport { z } from 'zod';\nexport const a = [methods, canonicalJson, AsyncLocalStorage, z];",
  ],
  [
    'src/store/x.ts',
    "import { Kysely } from 'kysely';\nimport pg from 'pg';\nimport type { Store } from '../kernel/store-port.ts';\nexport const a = [Kysely, pg];\nexport type S = Store;",
  ],
  ['tests/unit/x.test.ts', "import { app } from 'electron';\nimport { Store } from '../../src/store/store.ts';\nexport const a = [app, Store];"],
];

describe('the architecture lint rule', () => {
  for (const [path, code, message] of bad) {
    it(`refuses in ${path}: ${code.split('\n')[0]}`, async () => {
      const messages = await lint(path, code);
      expect(messages.length, `no error for ${code}`).toBeGreaterThan(0);
      expect(messages.join('\n')).toMatch(message);
    });
  }
  for (const [path, code] of good) {
    it(`allows in ${path}: ${code.split('\n')[0]}`, async () => {
      expect(await lint(path, code)).toEqual([]);
    });
  }

  it('passes on the repository as it is', async () => {
    const results = await eslint.lintFiles(['src', 'main', 'renderer/src']);
    const problems = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'architecture/layers').map((m) => `${r.filePath}: ${m.message}`));
    expect(problems).toEqual([]);
    // Type-aware lint of three folders: seconds alone, half a minute on a busy 2-core machine.
  }, 120_000);
});
