import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../../electron.config.ts';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { main: string; version: string; scripts: Record<string, string> };

describe('electron.config.ts', () => {
  it("passes electron-builder's own schema", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as { validateConfiguration: (c: unknown, l: unknown) => Promise<void> };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // The validator does refuse what is wrong, so the pass above means something.
    await expect(validateConfiguration({ ...config, linux: { ...config.linux, targett: 'deb' } }, new DebugLogger(false))).rejects.toThrow(/Invalid configuration object/);
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
    expect(config.files).toContain('node_modules/better-sqlite3/prebuilds/${platform}-${arch}.node');
  });
});
