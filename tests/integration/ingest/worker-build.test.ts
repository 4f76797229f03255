import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { prepareAlert } from '../../../src/ingest/prepare.ts';
import { readAlertFolder } from '../../../src/ingest/readers.ts';
import { workerEntry } from '../../../src/ingest/worker/pool.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { tempDir } from '../../support/temp.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * The ingest worker starts both ways it ships: from TypeScript under tsx (as in this test
 * run) and from a compiled build, ESM (the command line, bundled) or CommonJS (the Electron main
 * process), where the build emits src/ingest/worker/entry.ts as ingest-worker.mjs / .cjs beside
 * its bundle. Plain node runs the compiled one: no tsx, no TypeScript.
 */
describe('the ingest worker entry', () => {
  let tmp: ReturnType<typeof tempDir>;
  let bundle: string;
  let expected: { clipsRead: number; decodes: number; shots: unknown };

  beforeAll(() => {
    tmp = tempDir();
    bundle = writeSimpleBundle(join(tmp.dir, 'alert')).dir;
    const p = prepareAlert(readAlertFolder(bundle), { defaultTemperatureC: 15, nowUs: 0 });
    expected = { clipsRead: p.stats.clipsRead, decodes: p.stats.decodes, shots: p.located.shots.map((s) => s.local) };
  });
  afterAll(() => tmp.cleanup());

  it('is the TypeScript source under tsx here', () => {
    expect(workerEntry()).toMatchObject({ how: 'typescript', execArgv: ['--import', expect.stringMatching(/tsx/)] });
  });

  it.each([
    ['esm', '.mjs'],
    ['cjs', '.cjs'],
  ] as const)(
    'starts from a %s build beside its bundle, and prepares as the source does',
    async (format, ext) => {
      const out = join(tmp.dir, format);
      await build({
        entryPoints: { driver: join(ROOT, 'tests/support/ingest-driver.ts'), 'ingest-worker': join(ROOT, 'src/ingest/worker/entry.ts') },
        outdir: out,
        outExtension: { '.js': ext },
        bundle: true,
        platform: 'node',
        format,
        target: 'node22',
        logLevel: 'error',
      });
      const { stdout } = await promisify(execFile)(process.execPath, [join(out, `driver${ext}`), bundle], { env: { ...process.env, NODE_OPTIONS: '' } });
      const r = JSON.parse(stdout) as { how: string; pooled: boolean; started: number; stats: { clipsRead: number; decodes: number }; shots: unknown };
      expect(r).toMatchObject({ how: 'compiled', pooled: true, started: 1 });
      expect({ clipsRead: r.stats.clipsRead, decodes: r.stats.decodes, shots: r.shots }).toEqual(expected);
    },
    60_000,
  );
});
