import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../../support/cli.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * A database URL for a command that does not run whole on the store port yet is refused before
 * anything is opened: the command never splits its rows between PostgreSQL and the data folder's
 * SQLite file, and never quietly ignores the URL it was given.
 */
describe('--database and EARWITNESS_DATABASE where a command cannot take them yet', () => {
  let tmp: ReturnType<typeof tempDir>;
  let data: string;
  const before = process.env.EARWITNESS_DATABASE;
  beforeEach(() => {
    tmp = tempDir();
    data = join(tmp.dir, 'data');
  });
  afterEach(() => {
    if (before === undefined) delete process.env.EARWITNESS_DATABASE;
    else process.env.EARWITNESS_DATABASE = before;
    tmp.cleanup();
  });

  it('refuses the flag for a command that has no database to use it on, naming the commands that take it', async () => {
    for (const args of [
      ['demo', '--out', join(data, 'bundles')],
      ['locate', join(data, 'alert')],
    ]) {
      const r = await cli([...args, '--data', data, '--database', 'postgres://centre.example/earwitness']);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(
        /--database is set, but (demo|locate) opens no database\. Commands that take one: serve, account, agency, import, dataset, source, identity, audit, outcomes/,
      );
    }
    expect(existsSync(data)).toBe(false);
  });

  it('refuses EARWITNESS_DATABASE the same way, rather than use the SQLite file behind it', async () => {
    process.env.EARWITNESS_DATABASE = 'postgresql://centre.example/earwitness';
    const r = await cli(['demo', '--out', join(data, 'bundles')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/EARWITNESS_DATABASE is set, but demo opens no database/);
    expect(existsSync(data)).toBe(false);
  });

  it('refuses a URL that names no PostgreSQL server, for any command', async () => {
    for (const url of ['sqlite:///tmp/x.db', 'mysql://a/b', '/srv/earwitness.sqlite', '']) {
      const r = await cli(['account', 'list', '--data', data, `--database=${url}`]);
      expect(r.status, url).toBe(2);
      expect(r.stderr).toMatch(/--database takes a postgres:\/\/ or postgresql:\/\/ URL/);
    }
    expect(existsSync(data)).toBe(false);
  });
});
