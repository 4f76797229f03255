import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { ON_THE_PORT } from '../../src/cli/database-url.ts';
import { runCli } from '../../src/cli/main.ts';
import { NODE, REPO } from './host.ts';
import { testDatabaseUrl } from './test-core.ts';

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
  args = await onTestBackend(args);
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

/**
 * On PostgreSQL, a command that runs on the port and names a data folder gets `--database` with
 * that folder's test database (test-core.ts): the one a core the test opened on the folder uses.
 */
async function onTestBackend(args: string[]): Promise<string[]> {
  const at = args.indexOf('--data');
  // A database the test names itself (--database, EARWITNESS_DATABASE) is left as it is.
  if (at < 0 || !ON_THE_PORT.has(args[0] ?? '') || args.some((a) => a.startsWith('--database')) || process.env.EARWITNESS_DATABASE) return args;
  const url = await testDatabaseUrl(args[at + 1]!);
  return url === undefined ? args : [...args, '--database', url];
}
