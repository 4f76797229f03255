import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { openTestCore, testSql } from '../../support/test-core.ts';
import { cli } from '../../support/cli.ts';
import { tempDir } from '../../support/temp.ts';

/** Runs `earwitness account ...` in-process with the password (if any) as piped stdin (smoke.test.ts spawns the real one). */
async function account(args: string[], stdin = ''): Promise<{ code: number | null; out: string; err: string }> {
  const r = await cli(['account', ...args], { stdin });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('earwitness account: people from the machine itself', () => {
  let tmp: ReturnType<typeof tempDir>;
  let data: string;
  beforeEach(() => {
    tmp = tempDir();
    data = join(tmp.dir, 'data');
  });
  afterEach(() => tmp.cleanup());

  it('adds the first administrator and a reviewer, lists them, and writes the CLI as the actor', async () => {
    expect(
      await account(['add', 'ada', '--role', 'admin', '--display-name', 'Ada Admin', '--password-stdin', '--data', data], 'a long admin password\n'),
    ).toMatchObject({ code: 0 });
    expect(await account(['add', 'rita', '--role', 'reviewer', '--data', data], 'a long reviewer password\n')).toMatchObject({
      code: 0,
      out: 'added rita (reviewer)\n',
    });
    const list = await account(['list', '--json', '--data', data]);
    expect(list.code).toBe(0);
    const { accounts } = JSON.parse(list.out) as { accounts: { name: string; roles: string[]; displayName: string }[] };
    expect(accounts.map((a) => [a.name, a.roles, a.displayName])).toEqual([
      ['ada', ['admin'], 'Ada Admin'],
      ['rita', ['reviewer'], 'rita'],
    ]);
    const core = await openTestCore({ dataDir: data });
    try {
      const actors = await testSql(core).column("SELECT DISTINCT actor FROM audit_log WHERE action = 'account.created'");
      expect(actors).toEqual([`cli:${userInfo().username}`]);
      // The password works at a seat.
      const seat = core.openSession('loopback');
      expect((await core.call(seat, 'signIn', { name: 'rita', password: 'a long reviewer password' })).person?.name).toBe('rita');
    } finally {
      await core.close();
    }
  }, 60_000);

  it("refuses, in one line and with nothing written: a short password, an unknown role, the last administrator's demotion", async () => {
    const short = await account(['add', 'bob', '--role', 'reviewer', '--data', data], 'short\n');
    expect(short.code).toBe(2);
    expect(short.err.trim().split('\n')).toHaveLength(1);
    expect(short.err).toMatch(/at least 10 characters/);
    const role = await account(['add', 'bob', '--role', 'boss', '--data', data], 'long enough password\n');
    expect(role).toMatchObject({ code: 2, err: expect.stringMatching(/no role "boss"/) });
    await account(['add', 'ada', '--role', 'admin', '--data', data], 'a long admin password\n');
    const demote = await account(['roles', 'ada', '--role', 'reviewer', '--data', data]);
    expect(demote).toMatchObject({ code: 2, err: expect.stringMatching(/last enabled administrator/) });
    expect(JSON.parse((await account(['list', '--json', '--data', data])).out).accounts.map((a: { name: string }) => a.name)).toEqual(['ada']);
  }, 60_000);
});
