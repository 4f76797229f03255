import type { CliIo } from './io.ts';

/** What a command does when run: returns the exit status. */
export type CommandRun = (argv: string[], io: CliIo) => Promise<number>;

/** One verb of a command with verbs (`earwitness audit verify`). */
export interface Subcommand {
  name: string;
  summary: string;
  /** Its synopsis lines, each a whole command line. */
  usage: string;
}

/**
 * One `earwitness` command, described without loading it: --help and --version read only these
 * descriptions (src/cli/commands.ts), so they answer before any of the core is imported.
 */
export interface CommandInfo {
  name: string;
  summary: string;
  /** Its synopsis lines, each a whole command line. */
  usage: string;
  /** Options and notes printed under the synopsis by --help. */
  details?: string;
  subcommands?: Subcommand[];
  /** Imports the command's module (src/cli/<name>.ts) and returns its run function. */
  load(): Promise<CommandRun>;
}

/** A failure the user caused: printed as one line on stderr, exit status 2. */
export class UsageError extends Error {}
