// Compiles the `earwitness` command (src/cli.ts: the CLI, the loopback host and the core) into
// dist/cli, so the installed command starts on plain Node with nothing compiled at run time.
//  - ES modules with code splitting: each command is its own chunk, loaded only when run, so
//    `earwitness --version` and `--help` read no more than the command table.
//  - Packages stay external (better-sqlite3 is native; ws, zod and pino load from node_modules as
//    they would for any Node program): only the project's own TypeScript is compiled.
// Built on install (`prepare` -> `npm run build`) and before every test run (vitest and
// Playwright global setups), so no test runs a stale command.
import { build } from 'esbuild';
import { renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleUrlHelpersEsm, moduleUrlPlugin } from './module-url.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/cli');
// Built beside and swapped in whole, so no run ever sees half of one build and half of another.
const staging = `${outdir}.building-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  // The import's worker thread starts from its own entry beside the command (bin/earwitness.mjs points the pool at it).
  entryPoints: { cli: 'src/cli.ts', 'ingest-worker': 'src/ingest/worker/entry.ts' },
  outdir: staging,
  outExtension: { '.js': '.mjs' },
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node22',
  sourcemap: 'linked',
  banner: { js: moduleUrlHelpersEsm },
  plugins: [moduleUrlPlugin(root)],
  logLevel: 'warning',
});
rmSync(outdir, { recursive: true, force: true });
renameSync(staging, outdir);
