import { isPostgresUrl } from '../store/database-url.ts';
import { UsageError } from './command.ts';

/**
 * Which commands run whole on the store port, so on PostgreSQL as well as SQLite (issue 12): the
 * rest still use the SQLite file in the data folder for some of their work, and refuse a database
 * URL rather than split one command's rows between two databases.
 */
export const ON_THE_PORT: ReadonlySet<string> = new Set(['serve', 'account', 'agency', 'import', 'dataset', 'source', 'identity', 'audit', 'outcomes']);

/** `--database URL` as given, else EARWITNESS_DATABASE; undefined for the SQLite file in the data folder. */
export function databaseUrl(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  const at = argv.findIndex((a) => a === '--database' || a.startsWith('--database='));
  const given = at < 0 ? undefined : argv[at]!.startsWith('--database=') ? argv[at]!.slice('--database='.length) : argv[at + 1];
  const url = given ?? (env.EARWITNESS_DATABASE || undefined);
  if (url !== undefined && !isPostgresUrl(url))
    throw new UsageError(
      `--database takes a postgres:// or postgresql:// URL, not ${JSON.stringify(url.slice(0, 40))} (leave it out for the SQLite file in the data folder)`,
    );
  return url;
}

/** Refuses, before anything is opened, a database URL for a command that cannot run on it yet. */
export function checkDatabaseFor(command: string, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const url = databaseUrl(argv, env);
  if (url === undefined || ON_THE_PORT.has(command)) return;
  const from = argv.some((a) => a === '--database' || a.startsWith('--database=')) ? '--database' : 'EARWITNESS_DATABASE';
  throw new UsageError(
    `${from} is set, but ${command} does not run on PostgreSQL yet: part of its work still uses the SQLite file in the data folder. ` +
      `Commands that do: ${[...ON_THE_PORT].join(', ')}`,
  );
}
