// @ts-check
/**
 * The arrows of ARCHITECTURE.md as one ESLint rule. Relative imports are resolved to the file
 * they reach (so `../contract/../store/x` is judged by where it lands, not by how it is
 * spelled); packages are judged by name. Static imports, re-exports, `import type`,
 * `import('x')` (expressions and types), `require('x')` and `import x = require('x')` all count.
 *
 *   src/contract  the contract the renderer sees: zod and itself, nothing else
 *   src           the core on plain Node: never electron, UI libraries, main/ or renderer/
 *   src/kernel    what every service may use (call context, session, events, the store port):
 *                 src/contract, src/util and itself; no package but zod and Node's own
 *   src floors    contract < util < kernel < audio < locate < store < services < core < host < cli:
 *                 a folder imports its own floor and those below, never one above (a service never
 *                 imports the composition root that wires it)
 *   src/store     the only folder with SQL or a database driver (better-sqlite3, pg, kysely)
 *   main/policy   the shell's decisions as plain functions: no electron, so Node tests run them
 *   main          the Electron shell: anything of src, never the renderer
 *   renderer      the UI: itself and src/contract only; no Node, no electron, no native modules
 */
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const UI_PACKAGES = ['react', 'react-dom', 'leaflet', 'react-leaflet', 'wavesurfer.js'];
const NODE_BUILTINS = new Set(builtinModules.map((m) => m.replace(/^node:/, '')));
/** Database drivers and the query builder: src/store only, so no other folder knows which database holds the rows. */
const DRIVER_PACKAGES = ['better-sqlite3', 'pg', 'kysely'];
const isDriver = (pkg) => DRIVER_PACKAGES.includes(pkg) || pkg.startsWith('pg-') || pkg.startsWith('@types/pg');
/**
 * The floors inside src/ (ARCHITECTURE.md), lowest first. The services share one floor: they use
 * each other (review publishes, everything audits). src/cli.ts, the command, is the top floor.
 */
const FLOORS = [
  ['contract'],
  ['util'],
  ['kernel'],
  ['audio'],
  ['locate'],
  ['store'],
  ['accounts', 'audit', 'dataset', 'files', 'ingest', 'maps', 'outcomes', 'publish', 'review'],
  ['core'],
  ['host'],
  ['cli'],
];
/** @param {string | null} folder @returns {number} */
const floorOf = (folder) => FLOORS.findIndex((names) => names.includes(folder ?? 'cli'));
const KERNEL_MAY_IMPORT = ['contract', 'util', 'kernel'];

/** The folder right under src/ ('kernel', 'store', ...), or null for a file right in src/ (cli.ts) or outside it. */
function srcFloor(file) {
  const rel = relative(ROOT, file).split(sep).join('/');
  const m = /^src\/([^/]+)\//.exec(rel);
  return m ? m[1] : null;
}

/** @typedef {'contract' | 'core' | 'policy' | 'main' | 'renderer' | 'other'} Layer */

/** @param {string} file absolute path @returns {Layer} */
export function layerOf(file) {
  const rel = relative(ROOT, file).split(sep).join('/');
  if (rel.startsWith('../') || isAbsolute(rel)) return 'other';
  if (rel.startsWith('src/contract/')) return 'contract';
  if (rel.startsWith('src/')) return 'core';
  if (rel.startsWith('main/policy/')) return 'policy';
  if (rel.startsWith('main/')) return 'main';
  if (rel.startsWith('renderer/')) return 'renderer';
  return 'other';
}

/** '@scope/name/sub' -> '@scope/name'; 'name/sub' -> 'name'; 'node:fs' -> 'node:fs'. */
function packageName(spec) {
  if (spec.startsWith('node:')) return spec;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const isNodeBuiltin = (pkg) => pkg.startsWith('node:') || NODE_BUILTINS.has(pkg);

/**
 * Why `from` may not import `spec`, or null.
 * @param {string} fromFile absolute path of the importing file
 * @param {string} spec the import specifier as written
 */
export function violation(fromFile, spec) {
  const from = layerOf(fromFile);
  if (from === 'other') return null;
  const relativeSpec = spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..';
  if (relativeSpec || spec.startsWith('/')) {
    const target = layerOf(resolve(dirname(fromFile), spec));
    const targetRel = relative(ROOT, resolve(dirname(fromFile), spec))
      .split(sep)
      .join('/');
    const inTests = targetRel.startsWith('tests/');
    switch (from) {
      case 'contract':
        return target === 'contract' ? null : 'src/contract is what the renderer sees: it imports only zod and its own files';
      case 'core': {
        if (target === 'main' || target === 'policy') return 'src/ never imports the Electron shell (main/)';
        if (target === 'renderer') return 'src/ never imports the renderer';
        if (inTests) return 'src/ never imports tests';
        const targetFloor = srcFloor(resolve(dirname(fromFile), spec));
        if (srcFloor(fromFile) === 'kernel' && !KERNEL_MAY_IMPORT.includes(targetFloor ?? '')) {
          return `src/kernel is the floor every service stands on: it imports only src/contract, src/util and itself, not src/${targetFloor}`;
        }
        const [fromAt, targetAt] = [floorOf(srcFloor(fromFile)), floorOf(targetFloor)];
        if ((target === 'core' || target === 'contract') && targetAt > fromAt) {
          const name = (/** @type {string | null} */ f) => (f ? `src/${f}` : 'src/cli.ts');
          return `${name(srcFloor(fromFile))} may not import ${name(targetFloor)}, a floor above it (ARCHITECTURE.md: contract < util < kernel < audio < locate < store < services < core < host < cli)`;
        }
        return null;
      }
      case 'policy':
        if (target === 'main') return 'main/policy holds plain functions: it may not import the Electron parts of main/';
        if (target === 'renderer') return 'main/ never imports the renderer';
        if (inTests) return 'main/ never imports tests';
        return null;
      case 'main':
        if (target === 'renderer') return 'main/ never imports the renderer: it serves the built bundle';
        if (inTests) return 'main/ never imports tests';
        return null;
      case 'renderer':
        return target === 'renderer' || target === 'contract' ? null : 'the renderer talks to the core only through src/contract';
    }
  }
  const pkg = packageName(spec);
  const isElectron = pkg === 'electron' || pkg.startsWith('@electron/');
  switch (from) {
    case 'contract':
      return pkg === 'zod' ? null : `src/contract imports only zod (the renderer bundles it), not ${pkg}`;
    case 'core':
      if (isElectron) return 'src/ is the core on plain Node: it never imports electron (main/ does)';
      if (UI_PACKAGES.includes(pkg)) return `src/ never imports UI libraries (${pkg})`;
      if (isDriver(pkg) && srcFloor(fromFile) !== 'store') return `only src/store talks to the database: ${pkg} is a driver (use the store port in src/kernel)`;
      if (srcFloor(fromFile) === 'kernel' && pkg !== 'zod' && !isNodeBuiltin(pkg)) return `src/kernel imports no package but zod and Node's own (${pkg})`;
      return null;
    case 'policy':
      if (isElectron) return 'main/policy holds plain functions tested on Node: no electron here';
      if (UI_PACKAGES.includes(pkg)) return `main/ never imports UI libraries (${pkg})`;
      return null;
    case 'main':
      return UI_PACKAGES.includes(pkg) ? `main/ never imports UI libraries (${pkg})` : null;
    case 'renderer':
      if (isElectron) return 'the renderer has no electron: it reaches the core through window.earwitness or the loopback client';
      if (isNodeBuiltin(pkg) || ['better-sqlite3', 'ws', 'tsx'].includes(pkg)) return `the renderer has no Node (${pkg}): use the contract`;
      return null;
  }
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep the arrows of ARCHITECTURE.md: renderer -> src/contract, main -> src, src never -> electron, UI or shell' },
    schema: [],
    messages: { layer: '{{why}} (import of "{{spec}}")' },
  },
  create(context) {
    const file = context.physicalFilename;
    /** @param {any} node @param {unknown} value */
    const check = (node, value) => {
      if (typeof value !== 'string') return;
      const why = violation(file, value);
      if (why) context.report({ node, messageId: 'layer', data: { why, spec: value } });
    };
    /** @param {any} n */
    const literalOf = (n) => {
      if (!n) return undefined;
      if (n.type === 'Literal') return n.value;
      if (n.type === 'TemplateLiteral' && n.expressions.length === 0) return n.quasis[0]?.value.cooked;
      return undefined;
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => check(node.source, literalOf(node.source)),
      TSImportType: (/** @type {any} */ node) => {
        const src = node.source ?? node.argument?.literal;
        if (src) check(src, src.value);
      },
      TSExternalModuleReference: (/** @type {any} */ node) => check(node.expression, literalOf(node.expression)),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1)
          check(node.arguments[0], literalOf(node.arguments[0]));
      },
    };
  },
};

/** Browser globals the core must not touch (it runs on plain Node; its tsconfig has no DOM lib either). */
export const DOM_GLOBALS = [
  'window',
  'document',
  'navigator',
  'location',
  'history',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'HTMLElement',
  'HTMLCanvasElement',
  'HTMLAudioElement',
  'Element',
  'CanvasRenderingContext2D',
  'AudioContext',
  'OfflineAudioContext',
  'XMLHttpRequest',
  'Image',
  'Audio',
  'DOMParser',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'getComputedStyle',
  'matchMedia',
  'customElements',
  'MutationObserver',
  'ResizeObserver',
  'IntersectionObserver',
  'alert',
  'confirm',
  'prompt',
].map((name) => ({ name, message: `src/ runs on plain Node: no DOM (${name}). UI work belongs in renderer/.` }));

export default { meta: { name: 'earwitness-architecture' }, rules: { layers } };
