#!/usr/bin/env node
// The `earwitness` command: the compiled CLI in dist/cli (built on install by `npm run build`).
//
// It needs Node 22 or newer (better-sqlite3 13). On an older Node it hands itself to the Node 22
// that `npm install` put in node_modules (the pinned `node` devDependency), so `npm install` and
// the command both work from Node 20, 22 or 24; only where neither is there does it refuse.
//
// EARWITNESS_FROM_SOURCE=1 runs src/cli.ts through tsx instead (development, no build needed).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  const pinned = fileURLToPath(new URL(`../node_modules/node/bin/node${process.platform === 'win32' ? '.exe' : ''}`, import.meta.url));
  if (existsSync(pinned) && process.env.EARWITNESS_REEXEC !== '1') {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, EARWITNESS_REEXEC: '1' },
    });
    if (r.signal) process.kill(process.pid, r.signal);
    process.exit(r.status ?? 1);
  }
  process.stderr.write(
    `earwitness needs Node 22 or newer (this is ${process.version}), and the project's own Node 22 is not installed: ` +
      'run `npm install` in the project folder, or use Node 22 or 24.\n',
  );
  process.exit(2);
}

if (process.env.EARWITNESS_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
} else {
  // The import's worker thread runs the compiled entry built beside the command (scripts/build-cli.mjs).
  process.env.EARWITNESS_INGEST_WORKER ??= fileURLToPath(new URL('../dist/cli/ingest-worker.mjs', import.meta.url));
  // Imported first and asked after: a missing build is the rare case, not worth a stat on every start.
  try {
    await import('../dist/cli/cli.mjs');
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND' || existsSync(new URL('../dist/cli/cli.mjs', import.meta.url))) throw e;
    process.stderr.write('earwitness is not built: run `npm run build` in the project folder (`npm install` does it too).\n');
    process.exit(2);
  }
}
