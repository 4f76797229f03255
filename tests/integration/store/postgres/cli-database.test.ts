import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorePort } from '../../../../src/store/open.ts';
import { cli } from '../../../support/cli.ts';
import { backendUnavailable, openTestDatabase, type TestDatabase } from '../../../support/database.ts';
import { squareJurisdiction } from '../../../support/publish-fixtures.ts';
import { seedPublishable } from '../../../support/publishable.ts';
import { tempDir } from '../../../support/temp.ts';

/**
 * `--database URL` and EARWITNESS_DATABASE on the commands that run whole on the store port:
 * their rows land in the centre's PostgreSQL database, and the data folder gets no SQLite file (its
 * clip store still takes the clips, a path the centre's servers share).
 */
describe.skipIf(backendUnavailable('commands on PostgreSQL', 'postgres'))('commands with --database postgres://', () => {
  let t: TestDatabase;
  let tmp: ReturnType<typeof tempDir>;
  let data: string;
  beforeEach(async () => {
    t = await openTestDatabase('postgres');
    tmp = tempDir();
    data = join(tmp.dir, 'data');
  });
  afterEach(async () => {
    await t.close();
    tmp.cleanup();
  });
  const count = async (sql: string, ...params: unknown[]) => Number((await t.probe.query<{ n: number }>(sql, ...params))[0]!.n);

  it('adds a person, imports alerts, issues a key, makes a project and audits, in the database the URL names', async () => {
    const added = await cli(['account', 'add', 'ada', '--role', 'admin', '--password-stdin', '--data', data, '--database', t.url], {
      stdin: 'a long enough password\n',
    });
    expect(added.status, added.stderr).toBe(0);
    expect(await count('SELECT count(*) AS n FROM accounts WHERE name = ?', 'ada')).toBe(1);

    const bundles = join(tmp.dir, 'bundles');
    expect((await cli(['demo', '--out', bundles, '--alerts', '2', '--seed', '3', '--quiet'])).status).toBe(0);
    const imported = await cli(['import', bundles, '--data', data, '--database', t.url]);
    expect(imported.status, imported.stdout + imported.stderr).toBe(0);
    expect(await count('SELECT count(*) AS n FROM alerts')).toBe(2);
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'alert.imported'")).toBe(2);
    // The clips are in the data folder's clip store, beside no SQLite rows of these alerts.
    expect(readdirSync(join(data, 'clips'), { recursive: true }).some((f) => String(f).length >= 64)).toBe(true);

    const key = await cli(['source', 'key', 'issue', 'demo-kellan-heights', '--out', join(tmp.dir, 'k.key'), '--data', data, '--database', t.url]);
    expect(key.status, key.stderr).toBe(0);
    expect(await count('SELECT count(*) AS n FROM intake_keys')).toBe(1);

    const marked = await cli(['source', 'set', 'demo-kellan-heights', '--status', 'exercise', '--json', '--data', data, '--database', t.url]);
    expect(marked.status, marked.stderr).toBe(0);
    const listed = await cli(['source', 'list', '--json', '--data', data, '--database', t.url]);
    expect(JSON.parse(listed.stdout)).toMatchObject({ sources: [{ source: 'demo-kellan-heights', status: 'exercise', alerts: 2 }] });
    const named = await cli(['identity', 'set', '--sender-name', 'Metro review centre', '--data', data, '--database', t.url]);
    expect(named.status, named.stderr).toBe(0);
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action IN ('source.status_set', 'publish.identity_set')")).toBe(2);

    const project = await cli(['dataset', 'create-project', 'gunshots', '--data', data, '--database', t.url]);
    expect(project.status, project.stderr).toBe(0);
    expect(await count('SELECT count(*) AS n FROM dataset_projects WHERE name = ?', 'gunshots')).toBe(1);

    // The auditor checks the centre's log where it is.
    const verified = await cli(['audit', 'verify', '--json', '--data', data, '--database', t.url]);
    expect(verified.status, verified.stderr).toBe(0);
    const report = JSON.parse(verified.stdout) as { ok: boolean; entries: number };
    expect(report.ok).toBe(true);
    expect(report.entries).toBe(await count('SELECT count(*) AS n FROM audit_log'));

    // Its other reads and files come from the same database: statistics, the chain exported, a report.
    const stats = await cli(['audit', 'stats', '--from', '2000-01-01', '--to', '2100-01-01', '--data', data, '--database', t.url]);
    expect(stats.status, stats.stderr).toBe(0);
    expect((JSON.parse(stats.stdout) as { alerts: number }).alerts).toBe(2);
    const chain = join(tmp.dir, 'chain.jsonl');
    const exported = await cli(['audit', 'export', '--out', chain, '--data', data, '--database', t.url]);
    expect(exported.status, exported.stderr).toBe(0);
    const receipt = JSON.parse(exported.stdout) as { entries: number; headSeq: number };
    expect(receipt.entries).toBe(report.entries);
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'audit.exported' AND seq = ?", receipt.headSeq + 1)).toBe(1);
    const alertId = Number((await t.probe.query<{ id: number }>('SELECT min(id) AS id FROM alerts'))[0]!.id);
    const html = join(tmp.dir, 'report.html');
    const made = await cli(['audit', 'report', '--alert', String(alertId), '--out', html, '--data', data, '--database', t.url]);
    expect(made.status, made.stderr).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('Received from demo-kellan-heights as KH-S3-0001');
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'report.generated' AND entity = ?", `alert:${alertId}`)).toBe(1);

    // Nothing of it went to a SQLite file in the data folder: one command's rows are never split between two databases.
    expect(existsSync(join(data, 'earwitness.sqlite'))).toBe(false);
  });

  it("adds and lists agencies, issues and retires an agency's outcome key and prints the programme's figures from the database the URL names", async () => {
    const port = await openStorePort({ url: t.url, sqliteFile: '' });
    const { agencyId } = await port.write((tx) => seedPublishable(tx, 2)).finally(() => port.close());
    const run = (...args: string[]) => cli(['outcomes', ...args, '--data', data, '--database', t.url]);

    const issued = await run('key-issue', String(agencyId), '--json');
    expect(issued.status, issued.stderr).toBe(0);
    const key = JSON.parse(issued.stdout) as { keyId: string; secret: string };
    expect(await count('SELECT count(*) AS n FROM agency_outcome_keys WHERE key_id = ? AND retired_us IS NULL', key.keyId)).toBe(1);
    const keys = await run('keys');
    expect(keys.stdout).toContain(key.keyId);
    expect(keys.stdout).not.toContain(key.secret);
    expect((await run('key-retire', key.keyId)).stdout).toMatch(/^retired ok_/);
    expect(await count('SELECT count(*) AS n FROM agency_outcome_keys WHERE retired_us IS NOT NULL')).toBe(1);

    // The agencies are the database's too: one added and listed through the command.
    const geojson = join(tmp.dir, 'far.geojson');
    writeFileSync(geojson, squareJurisdiction({ lat: 41.9, lon: -87.7 }, 0.05));
    const addedAgency = await cli([
      'agency',
      'add',
      '--name',
      'Far County',
      '--geojson',
      geojson,
      '--url',
      'http://127.0.0.1:9/far',
      '--format',
      'cap',
      '--secret',
      'a-secret-long-enough-for-hmac-1234',
      '--data',
      data,
      '--database',
      t.url,
    ]);
    expect(addedAgency.status, addedAgency.stderr).toBe(0);
    const agencies = await cli(['agency', 'list', '--json', '--data', data, '--database', t.url]);
    expect(agencies.status, agencies.stderr).toBe(0);
    expect(agencies.stdout).toContain('City Police');
    expect(agencies.stdout).toContain('Far County');
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'agency.added'")).toBe(1);

    // The seeded alerts are detected on 2025-11-20 (UTC).
    const figures = await run('figures', '--from', '2025-11-19', '--to', '2025-11-21', '--json');
    expect(figures.status, figures.stderr).toBe(0);
    expect(JSON.parse(figures.stdout)).toMatchObject({ alerts: 2, undecided: 2 });
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action IN ('outcome.key_issued', 'outcome.key_retired')")).toBe(2);
    // Nothing of it went to a SQLite file in the data folder.
    expect(existsSync(join(data, 'earwitness.sqlite'))).toBe(false);
  });

  it('takes the URL from EARWITNESS_DATABASE when no --database is given', async () => {
    const before = process.env.EARWITNESS_DATABASE;
    process.env.EARWITNESS_DATABASE = t.url;
    try {
      const r = await cli(['account', 'add', 'rita', '--role', 'reviewer', '--password-stdin', '--data', data], { stdin: 'a long enough password\n' });
      expect(r.status, r.stderr).toBe(0);
    } finally {
      process.env.EARWITNESS_DATABASE = before;
      if (before === undefined) delete process.env.EARWITNESS_DATABASE;
    }
    expect(await count('SELECT count(*) AS n FROM accounts WHERE name = ?', 'rita')).toBe(1);
  });

  it('says it cannot open a database it cannot reach, without printing the password', async () => {
    const url = new URL(t.url);
    url.password = 'not-the-password-42';
    url.username = 'nobody_here';
    const r = await cli(['account', 'list', '--data', data, '--database', url.toString()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot open the database postgres(ql)?:\/\/nobody_here:\*\*\*@/);
    expect(r.stderr).not.toContain('not-the-password-42');
    expect(existsSync(join(data, 'earwitness.sqlite'))).toBe(false);
  });
});
