import { readFileSync } from 'node:fs';
import { UsageError, type CommandInfo } from './command.ts';
import { checkDatabaseFor } from './database-url.ts';
import { COMMANDS } from './commands.ts';
import type { CliIo } from './io.ts';

const PARSE_ERRORS = new Set(['ERR_PARSE_ARGS_UNKNOWN_OPTION', 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE', 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL']);

export function cliVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: earwitness <command> [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "earwitness <command> --help    that command's usage and options",
    'earwitness --version           the version',
  ].join('\n');
}

/** A command's help, or one of its verbs' when `verb` names one. */
function commandHelp(c: CommandInfo, verb: string | undefined): string {
  const sub = c.subcommands?.find((s) => s.name === verb);
  if (sub) return [`usage: ${sub.usage}`, '', `${sub.summary}.`, ...(c.details ? ['', c.details] : [])].join('\n');
  const lines = [`usage: ${c.usage}`, '', `${c.summary}.`];
  if (c.subcommands) {
    const width = Math.max(...c.subcommands.map((s) => s.name.length));
    lines.push('', ...c.subcommands.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`), '');
    for (const s of c.subcommands) lines.push(...s.usage.split('\n'));
    lines.push('', `earwitness ${c.name} <${c.subcommands.map((s) => s.name).join('|')}> --help for one of them.`);
  }
  if (c.details) lines.push('', c.details);
  return lines.join('\n');
}

/** True when the user asked for help anywhere before a `--`. */
function asksHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/**
 * The `earwitness` command line, on any streams: the process's own from src/cli.ts, strings in
 * tests. Returns the exit status: 0 done, 1 a failure, 2 a wrong command line.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    io.out(`earwitness ${cliVersion()}\n`);
    return 0;
  }
  if (name === 'help') {
    const c = COMMANDS.find((x) => x.name === rest[0]);
    io.out(`${c ? commandHelp(c, rest[1]) : overview()}\n`);
    return 0;
  }
  if (!name || name === '--help' || name === '-h') {
    (name ? io.out : io.err)(`${overview()}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`earwitness: no command ${JSON.stringify(name)}\n${overview()}\n`);
    return 2;
  }
  if (asksHelp(rest)) {
    io.out(`${commandHelp(command, rest[0])}\n`);
    return 0;
  }
  try {
    checkDatabaseFor(name, rest);
    const run = await command.load();
    return await run(rest, io);
  } catch (e) {
    // Errors a user can cause get one line; anything else is a bug worth its stack.
    const err = e as Error & { code?: string };
    if (e instanceof UsageError) {
      io.err(`earwitness ${name}: ${err.message}\n`);
      return 2;
    }
    if (err.code !== undefined && PARSE_ERRORS.has(err.code)) {
      // node:util's message ends with its own advice about `--`; ours points at the usage.
      const message = err.message.split('. To specify')[0]!.replace(/\.$/, '');
      io.err(`earwitness ${name}: ${message}. See earwitness ${name} --help\n`);
      return 2;
    }
    io.err(`earwitness ${name}: ${err.stack ?? err.message}\n`);
    return 1;
  }
}
