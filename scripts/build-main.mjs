// Bundles the Electron main process and the preload, each into one CommonJS file.
//  - main: Node platform; better-sqlite3 stays external (a native module, loaded from
//    node_modules, unpacked from the asar in packages), electron is provided by Electron.
//  - preload: browser platform, so a Node built-in pulled in by mistake fails the build
//    instead of failing in the sandbox (a sandboxed preload can require only `electron`).
import { build } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleUrlHelpersCjs, moduleUrlPlugin } from './module-url.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// --outdir lets tests build into a temp folder; packages and `npm start` use dist/main.
const outFlag = process.argv.indexOf('--outdir');
const outdir = outFlag > 0 ? process.argv[outFlag + 1] : 'dist/main';

// The ingest worker (src/ingest/worker/entry.ts) beside main.cjs, where the pool looks for it.
await build({
  entryPoints: { main: 'main/main.ts', 'ingest-worker': 'src/ingest/worker/entry.ts' },
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: true,
  external: ['electron', 'better-sqlite3'],
  banner: { js: moduleUrlHelpersCjs },
  plugins: [moduleUrlPlugin(root)],
  logLevel: 'warning',
});

/** The contract's method and event names, read from the contract itself (bundled to a temp module and imported). */
async function contractNames() {
  const out = await build({ entryPoints: ['src/contract/index.ts'], bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'warning' });
  const url = `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`;
  const contract = await import(url);
  return { methods: contract.METHOD_NAMES, events: contract.EVENT_NAMES };
}
const names = await contractNames();

await build({
  entryPoints: { preload: 'main/preload.ts' },
  define: { __EARWITNESS_METHOD_NAMES__: JSON.stringify(names.methods), __EARWITNESS_EVENT_NAMES__: JSON.stringify(names.events) },
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'browser',
  format: 'cjs',
  target: 'chrome140',
  sourcemap: false,
  minify: false,
  external: ['electron'],
  logLevel: 'warning',
});
