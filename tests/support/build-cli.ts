import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { NODE, REPO } from './host.ts';

/**
 * Compiles the `earwitness` command into dist/cli (scripts/build-cli.mjs, well under a second).
 * Both test runners' global setups call it, so a test that spawns bin/earwitness.mjs always runs
 * what the sources say now, never an older build.
 */
export function buildCli(): void {
  execFileSync(NODE, [join(REPO, 'scripts/build-cli.mjs')], { cwd: REPO, stdio: 'inherit' });
}
