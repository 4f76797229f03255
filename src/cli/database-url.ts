import { isPostgresUrl } from '../store/database-url.ts';
import { UsageError } from './command.ts';

/**
 * The commands that take a database: they run whole on the store port, so on PostgreSQL as well
 * as SQLite. The rest refuse a database URL rather than quietly ignore it (WHY_NO_DATABASE).
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

/** Why a command that is not on the port takes no database URL; the rest (demo, locate, push, receive) open no database at all. */
const WHY_NO_DATABASE: Readonly<Record<string, string>> = {
  backup:
    "backs up a workstation's SQLite file; a centre's PostgreSQL database is backed up with PostgreSQL's own tools " +
    '(pg_basebackup with WAL archiving, or pg_dump) and its clip store with any file copy: docs/centre.md, Backups',
};

/** Refuses, before anything is opened, a database URL for a command that does not run on one. */
export function checkDatabaseFor(command: string, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const url = databaseUrl(argv, env);
  if (url === undefined || ON_THE_PORT.has(command)) return;
  const from = argv.some((a) => a === '--database' || a.startsWith('--database=')) ? '--database' : 'EARWITNESS_DATABASE';
  throw new UsageError(
    `${from} is set, but ${command} ${WHY_NO_DATABASE[command] ?? 'opens no database'}. Commands that take one: ${[...ON_THE_PORT].join(', ')}`,
  );
}
