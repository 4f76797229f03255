/** One `earwitness` subcommand. Each lives in its own file under src/cli/ and is listed in src/cli.ts. */
export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** Returns the exit status. */
  run(argv: string[]): Promise<number>;
}

/** A failure the user caused: printed as one line on stderr, exit status 2. */
export class UsageError extends Error {}
