// Bundles the Electron main process (ESM-free CommonJS for Electron) and the preload (one sandboxed CommonJS file).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = [
  { in: 'main/main.ts', out: 'dist/main/main.cjs' },
  { in: 'main/preload.ts', out: 'dist/main/preload.cjs' },
].filter((e) => existsSync(e.in));

for (const e of entries) {
  await build({
    entryPoints: [e.in],
    outfile: e.out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    sourcemap: true,
    external: ['electron', 'better-sqlite3'],
    logLevel: 'warning',
  });
}
