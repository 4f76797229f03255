// Core modules find files beside them with `new URL('../../x', import.meta.url)` (package.json,
// resources, dist/renderer). In a bundle every module would share one location, so each module's
// import.meta.url is replaced by its own source path re-rooted at the app folder (two levels above
// the bundle: dist/main/.. /.. or dist/cli/../..), and relative lookups land where they do in the
// source tree, in development, in dist/, and inside the Electron asar.
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';

/** An esbuild plugin rewriting import.meta.url (and .filename, .dirname) in the project's own files. */
export function moduleUrlPlugin(root) {
  return {
    name: 'module-url',
    setup(b) {
      b.onLoad({ filter: /\.(ts|mts|js|mjs)$/ }, async (args) => {
        if (args.path.includes('node_modules')) return undefined;
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.')) return undefined;
        const rel = JSON.stringify(relative(root, args.path).split('\\').join('/'));
        const contents = text
          .replaceAll('import.meta.url', `__earwitnessModuleUrl(${rel})`)
          .replaceAll('import.meta.filename', `__earwitnessModulePath(${rel})`)
          .replaceAll('import.meta.dirname', `__earwitnessModuleDir(${rel})`);
        return { contents, loader: args.path.endsWith('ts') ? 'ts' : 'js' };
      });
    },
  };
}

/** The helpers the rewritten code calls, for a CommonJS bundle (dist/main). */
export const moduleUrlHelpersCjs = [
  `function __earwitnessModuleUrl(rel) { return require('node:url').pathToFileURL(require('node:path').join(__dirname, '..', '..', rel)).href; }`,
  `function __earwitnessModulePath(rel) { return require('node:path').join(__dirname, '..', '..', rel); }`,
  `function __earwitnessModuleDir(rel) { return require('node:path').dirname(__earwitnessModulePath(rel)); }`,
].join('\n');

/** The same for an ES module bundle (dist/cli): every chunk sits in the same folder. */
export const moduleUrlHelpersEsm = [
  `import { fileURLToPath as __earwitnessFileURLToPath } from 'node:url';`,
  `import { dirname as __earwitnessDirname } from 'node:path';`,
  `function __earwitnessModuleUrl(rel) { return new URL(rel, new URL('../../', import.meta.url)).href; }`,
  `function __earwitnessModulePath(rel) { return __earwitnessFileURLToPath(__earwitnessModuleUrl(rel)); }`,
  `function __earwitnessModuleDir(rel) { return __earwitnessDirname(__earwitnessModulePath(rel)); }`,
].join('\n');
