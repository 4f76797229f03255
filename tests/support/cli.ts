import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { runCli } from '../../src/cli/main.ts';
import { NODE, REPO } from './host.ts';

/** What a run of the command left: its exit status and everything it wrote, as spawnSync reports it. */
export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `earwitness ARGS...` in this process, from the sources: the same entry point as the
 * command (src/cli/main.ts) on captured streams, with `stdin` (if any) as piped input. A spawn
 * costs a second or two of Node and module loading per call and proves nothing more about a
 * command's logic; spawnCli() and the smoke tests keep the real process honest.
 */
export async function cli(args: string[], o: { stdin?: string } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const stdin = Object.assign(Readable.from(o.stdin === undefined ? [] : [o.stdin]), { isTTY: false });
  const status = await runCli(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t), stdin, stderrIsTTY: false });
  return { status, stdout, stderr };
}

/** Runs the compiled command (bin/earwitness.mjs -> dist/cli, built by the test runners' global setups) as a child process. */
export function spawnCli(
  args: string[],
  o: { stdin?: string; env?: NodeJS.ProcessEnv; node?: string; timeoutMs?: number } = {},
): CliRun & { signal: NodeJS.Signals | null } {
  const r = spawnSync(o.node ?? NODE, [`${REPO}bin/earwitness.mjs`, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    input: o.stdin ?? '',
    timeout: o.timeoutMs ?? 120_000,
    env: o.env ?? process.env,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}
