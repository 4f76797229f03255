import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands.ts';
import { cli } from '../../support/cli.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('earwitness --help and --version (in-process; smoke.test.ts spawns the real one)', () => {
  it('--version prints the package version and nothing else', async () => {
    expect(await cli(['--version'])).toEqual({ status: 0, stdout: `earwitness ${VERSION}\n`, stderr: '' });
  });

  it('--help lists every command; no command at all prints the same on stderr with status 2', async () => {
    const r = await cli(['--help']);
    expect(r.status).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c.name} +${c.summary.replace(/[()|.]/g, '\\$&')}$`, 'm'));
    const none = await cli([]);
    expect(none).toMatchObject({ status: 2, stdout: '', stderr: r.stdout });
  });

  const cases = COMMANDS.flatMap((c) => [
    { args: [c.name, '--help'], usage: c.usage.split('\n')[0]!, summary: c.summary },
    ...(c.subcommands ?? []).map((s) => ({ args: [c.name, s.name, '-h'], usage: s.usage.split('\n')[0]!, summary: s.summary })),
  ]);
  it.each(cases)('$args.0 $args.1 answers with its own usage, touching nothing', async ({ args, usage, summary }) => {
    // --data names a folder that must not be created: help never opens the store.
    const r = await cli([...args, '--data', '/nonexistent/earwitness-help']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`usage: ${usage}`);
    expect(r.stdout).toContain(`\n${summary}.\n`);
  });

  it('help COMMAND VERB is the same as COMMAND VERB --help; an unknown option says where help is', async () => {
    expect(await cli(['help', 'audit', 'verify'])).toEqual(await cli(['audit', 'verify', '--help']));
    const r = await cli(['serve', '--bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("earwitness serve: Unknown option '--bogus'. See earwitness serve --help\n");
  });

  it('a --help after -- is an argument, not a request for help', async () => {
    const r = await cli(['locate', '--', '--help']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--help does not exist/);
  });
});
