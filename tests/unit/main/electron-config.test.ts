import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import config from '../../../electron.config.ts';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  main: string;
  version: string;
  scripts: Record<string, string>;
  homepage?: string;
  author?: { name?: string; email?: string };
  repository?: { url?: string };
};

type Filter = (file: string, stat: { isDirectory(): boolean }) => boolean;
/**
 * The node_modules filter electron-builder itself builds for one target: its own
 * getNodeModuleFileMatcher (which keeps only the `!` patterns of `files`) and its own macro
 * expander, with the target's platform options and arch. So the test asks electron-builder which
 * prebuilds a given target would ship, whatever machine this runs on.
 */
function nodeModulesFilter(platformKey: 'linux' | 'win' | 'mac', arch: string): Filter {
  const { getNodeModuleFileMatcher } = require('app-builder-lib/out/fileMatcher.js') as {
    getNodeModuleFileMatcher: (
      from: string,
      to: string,
      expand: (p: string) => string,
      platformOptions: unknown,
      packager: unknown,
    ) => { createFilter(): Filter };
  };
  const { expandMacro } = require('app-builder-lib/out/util/macroExpander.js') as {
    expandMacro: (p: string, arch: string, appInfo: unknown, extra: object) => string;
  };
  // As platformPackager does: `${/*}` means the folder and everything in it.
  const expand = (p: string) => expandMacro(p, arch, { productName: 'Earwitness', sanitizedProductName: 'Earwitness' }, { os: platformKey, '/*': '{,/**/*}' });
  const packager = { config, debugLogger: { isEnabled: false } };
  return getNodeModuleFileMatcher(ROOT, '/out', expand, config[platformKey], packager).createFilter();
}

describe('electron.config.ts', () => {
  it("passes electron-builder's own schema", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration: (c: unknown, l: unknown) => Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // The validator does refuse what is wrong, so the pass above means something.
    await expect(validateConfiguration({ ...config, linux: { ...config.linux, targett: 'deb' } }, new DebugLogger(false))).rejects.toThrow(
      /Invalid configuration object/,
    );
  });

  it('builds AppImage and deb, NSIS and dmg', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
  });

  it('sets the fuses: no run-as-node, no inspect flags or NODE_OPTIONS, asar integrity, app only from the asar', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeCliInspectArguments: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the bundles and unpacks better-sqlite3 and the ingest worker from the asar', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(['node_modules/better-sqlite3/**', 'dist/main/ingest-worker.cjs']);
    expect(config.files).toEqual(expect.arrayContaining(['package.json', 'dist/main/**', 'dist/renderer/**']));
    expect(pkg.main).toBe('dist/main/main.cjs');
    expect(pkg.scripts.package).toContain('--config electron.config.ts');
  });

  it('keeps only the N-API prebuild of the target, which needs no rebuild for Electron', () => {
    expect(config.npmRebuild).toBe(false);
    const binding = readFileSync(join(dirname(require.resolve('better-sqlite3/package.json')), 'binding.gyp'), 'utf8');
    expect(binding).toMatch(/NAPI_VERSION/);
  });

  it.each([
    ['linux', 'x64', ['linux-x64.node']],
    ['linux', 'arm64', ['linux-arm64.node']],
    ['win', 'x64', ['win32-x64.node']],
    ['win', 'arm64', ['win32-arm64.node']],
    // Both halves of a universal mac build carry both darwin builds (see mac.x64ArchFiles).
    ['mac', 'x64', ['darwin-arm64.node', 'darwin-x64.node']],
    ['mac', 'arm64', ['darwin-arm64.node', 'darwin-x64.node']],
  ] as const)('ships, for %s %s, exactly the prebuild that target loads, whatever machine builds it', (platformKey, arch, expected) => {
    const dir = join(dirname(require.resolve('better-sqlite3/package.json')), 'prebuilds');
    const filter = nodeModulesFilter(platformKey, arch);
    const file = { isDirectory: () => false };
    const kept = readdirSync(dir)
      .filter((f) => filter(join(ROOT, 'node_modules/better-sqlite3/prebuilds', f), file))
      .sort();
    expect(kept).toEqual(expected);
    // The rest of the package (its loader) stays.
    expect(filter(join(ROOT, 'node_modules/better-sqlite3/lib/binding.js'), file)).toBe(true);
  });

  it("never names the build machine's platform, and lets a universal mac app keep the identical darwin prebuilds", () => {
    expect(JSON.stringify(config)).not.toContain('${platform}');
    expect(config.mac?.x64ArchFiles).toBe('**/node_modules/better-sqlite3/prebuilds/darwin-*.node');
  });

  it('re-signs ad hoc after flipping the fuses, so an Apple Silicon build without a certificate still launches', () => {
    expect(config.electronFuses).toMatchObject({ resetAdHocDarwinSignature: true });
  });

  it('gives the deb target its metadata (homepage, maintainer) and publishes nowhere, so no repository host is needed', () => {
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.author).toMatchObject({ name: expect.any(String), email: expect.stringMatching(/@/) });
    expect(pkg.repository?.url).toMatch(/^https:\/\//);
    expect(config.linux?.maintainer).toMatch(/<.+@.+>/);
    expect(config.publish).toBeNull();
  });

  it('carries an application icon: the SVG and its PNGs at every size the installers take', () => {
    const size = (file: string) => {
      const png = readFileSync(file);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      return [png.readUInt32BE(16), png.readUInt32BE(20)];
    };
    expect(existsSync(join(ROOT, 'resources/build/icon.svg'))).toBe(true);
    expect(size(join(ROOT, config.mac!.icon!))).toEqual([1024, 1024]);
    expect(size(join(ROOT, config.win!.icon!))).toEqual([1024, 1024]);
    for (const n of [16, 32, 48, 64, 128, 256, 512]) expect(size(join(ROOT, config.linux!.icon!, `${n}x${n}.png`))).toEqual([n, n]);
  });
});
