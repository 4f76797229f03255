/**
 * How fast the `earwitness` command answers: `earwitness --version` and `earwitness --help`
 * through bin/earwitness.mjs (the compiled CLI in dist/cli), beside a bare `node -e 0` on the same
 * Node in the same run, and the same command run from source through tsx (what every command
 * cost before the CLI was compiled). Runs alternate, so a busy machine slows all alike.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchSuite, Figure } from '../types.ts';

const BIN = fileURLToPath(new URL('../../../bin/earwitness.mjs', import.meta.url));

function timed(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const suite: BenchSuite = {
  name: 'startup',
  async run(ctx) {
    const runs = ctx.quick ? 5 : 30;
    const t = { bare: [] as number[], version: [] as number[], help: [] as number[], source: [] as number[] };
    timed([BIN, '--version']); // the first run warms the file cache
    for (let i = 0; i < runs; i++) {
      t.bare.push(timed(['-e', '0']));
      t.version.push(timed([BIN, '--version']));
      t.help.push(timed([BIN, 'serve', '--help']));
      t.source.push(timed([BIN, '--version'], { ...process.env, EARWITNESS_FROM_SOURCE: '1' }));
    }
    const bare = median(t.bare);
    ctx.log(
      `${runs} runs each on Node ${process.version}: node -e 0 ${bare.toFixed(0)} ms, --version ${median(t.version).toFixed(0)} ms, from source ${median(t.source).toFixed(0)} ms`,
    );
    const figure = (name: string, value: number, baseline: number, baselineLabel: string): Figure => ({
      name,
      value,
      unit: 'ms',
      baseline,
      baselineLabel,
      higherIsBetter: false,
    });
    return [
      figure('startup.version_ms', median(t.version), bare, 'node -e 0, same Node'),
      figure('startup.help_ms', median(t.help), bare, 'node -e 0, same Node'),
      figure('startup.version_from_source_ms', median(t.source), median(t.version), 'compiled --version'),
    ];
  },
};
