import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit, type VerifyReport } from '../../../src/audit/verify.ts';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore, testProbe, testSql } from '../../support/test-core.ts';
import { testBackend } from '../../support/database.ts';
import { missing } from '../../support/skip.ts';
import { openDatabase } from '../../../src/store/db.ts';
import { MIGRATIONS } from '../../../src/store/migrations/index.ts';
import { ATTESTED_TABLE_NAMES } from '../../../src/store/attested.ts';
import { Store } from '../../../src/store/store.ts';
import { startDeliveryWorker } from '../../../src/publish/worker.ts';
import { addAgency, SECRET, seedAlert, session, waitFor } from '../../support/publish-fixtures.ts';
import { startReceiver, type Receiver } from '../../support/receiver-process.ts';
import { tamperTrial } from '../../support/store-probe.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * What police received and who may act are under the record too: a message body, a delivery's
 * state, an agency's endpoint or jurisdiction, an account's roles or password, a setting, edited,
 * added or removed in the database behind the log, is named by `audit verify`.
 */
describe('audit verify over what police received and who may act', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let receiver: Receiver;
  const admin = () => session(core, ['admin', 'reviewer', 'auditor'], 'ada');

  beforeAll(async () => {
    tmp = tempDir();
    // The real clock: the receiver refuses signatures whose timestamp is far from its own time.
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    receiver = await startReceiver({ record: join(tmp.dir, 'received.jsonl'), secrets: [SECRET] });
    startDeliveryWorker(core, { config: { baseDelayMs: 50, maxDelayMs: 300, requestTimeoutMs: 800, pollMs: 50 } });
    const agency = await addAgency(core, { name: 'City PD', url: receiver.url('/cap') });
    await addAgency(core, { name: 'County', url: receiver.url('/json'), format: 'json', half: 0.3 });
    await core.call(admin(), 'createAccount', { name: 'bob', displayName: 'Bob', password: 'correct horse battery', roles: ['reviewer'] });
    const alertId = await seedAlert(core);
    await core.call(admin(), 'decide', { alertId, class: 'gunfire_multiple', rounds: 3, notes: '', reviewMs: 5000 });
    await core.call(admin(), 'reviseDecision', { alertId, rounds: 4, notes: 'a fourth blast under the echo' });
    await waitFor(() => receiver.received().length === 4, 'the Alert and the Update at both agencies');
    await core.call(admin(), 'updateAgency', { id: agency.id, endpoints: [{ id: agency.endpoints[0]!.id, url: receiver.url('/cap-v2') }] });
  }, 60_000);
  afterAll(async () => {
    await receiver.stop();
    await core.close();
    tmp.cleanup();
  });

  /** The tables the cases edit: kept before each trial and put back after it, so every trial starts from the same honest file. */
  const EDITED = ['incident_messages', 'deliveries', 'delivery_attempts', 'incident_agencies', 'agency_endpoints', 'agencies', 'accounts', 'settings'];
  const tampered = (sql: string | string[]): Promise<VerifyReport> => {
    return testProbe(core.config.dataDir).then((probe) =>
      tamperTrial(
        probe,
        EDITED,
        async (p) => {
          for (const statement of typeof sql === 'string' ? [sql] : sql) await p.run(statement);
        },
        () => verifyAudit(core, { clips: false }),
      ),
    );
  };

  it('verifies the honest record, each change attested by the entry that made it', async () => {
    // seedAlert writes its alert straight into the store (no import entry): only the attested tables are in question here.
    const r = await verifyAudit(core, { clips: false });
    expect(r.problems.filter((p) => p.kind !== 'record' || (ATTESTED_TABLE_NAMES as string[]).includes(p.table))).toEqual([]);
    const actions = await testSql(core).column('SELECT DISTINCT action FROM audit_log WHERE payload_json LIKE \'%"attested"%\'');
    expect(actions).toEqual(
      expect.arrayContaining(['agency.added', 'account.created', 'incident.published', 'incident.updated', 'delivery.delivered', 'agency.updated']),
    );
  });

  const cases: [string, string | string[], string][] = [
    [
      'a message body',
      "UPDATE incident_messages SET cap_xml = replace(cap_xml, '<urgency>Immediate</urgency>', '<urgency>Past</urgency>') WHERE seq = 1",
      'incident_messages',
    ],
    [
      'a message slipped in',
      "INSERT INTO incident_messages (incident_id, seq, msg_type, identifier, sender, sent_us, changes_json, facts_json, cap_xml, json_body, created_by) SELECT incident_id, 9, 'Cancel', 'forged', sender, sent_us, '[]', facts_json, cap_xml, json_body, created_by FROM incident_messages WHERE seq = 1",
      'incident_messages',
    ],
    ['a delivery marked failed', "UPDATE deliveries SET state = 'failed', delivered_us = NULL WHERE id = 1", 'deliveries'],
    ['when a delivery arrived', 'UPDATE deliveries SET delivered_us = delivered_us - 60000000 WHERE id = 2', 'deliveries'],
    [
      'a delivery removed',
      [
        'DELETE FROM delivery_attempts WHERE delivery_id = (SELECT max(id) FROM deliveries)',
        'DELETE FROM deliveries WHERE id = (SELECT max(id) FROM deliveries)',
      ],
      'deliveries',
    ],
    ['where the incident went', 'DELETE FROM incident_agencies WHERE agency_id = 2', 'incident_agencies'],
    ["an agency's endpoint", "UPDATE agency_endpoints SET url = 'https://attacker.example/cap' WHERE retired_us IS NULL", 'agency_endpoints'],
    ["an agency's jurisdiction", `UPDATE agencies SET jurisdiction_json = '{"type":"MultiPolygon","coordinates":[]}' WHERE id = 1`, 'agencies'],
    ["an account's roles", `UPDATE accounts SET roles_json = '["reviewer","admin"]' WHERE name = 'bob'`, 'accounts'],
    ["an account's password", `UPDATE accounts SET password_hash = 'scrypt$forged' WHERE name = 'bob'`, 'accounts'],
    [
      'an account added',
      "INSERT INTO accounts (name, display_name, password_hash, roles_json, created_us, created_by, password_set_us) VALUES ('mallory', 'M', 'x', '[\"admin\"]', 1, 'ada', 1)",
      'accounts',
    ],
    ['a setting', "UPDATE settings SET value_json = '0' WHERE key = 'audit.qaSampleShare'", 'settings'],
    ['a setting added', `INSERT INTO settings (key, value_json, updated_us) VALUES ('publish.status', '"Exercise"', 1)`, 'settings'],
  ];

  for (const [what, sql, table] of cases) {
    it(`names ${what} changed behind the log`, async () => {
      if (table === 'settings' && what === 'a setting') await core.storePort.write((tx) => tx.settings.put('audit.qaSampleShare', 0.1, 1)); // make sure the row exists, attested
      const r = await tampered(sql);
      expect(r.ok).toBe(false);
      expect(r.problems.filter((p) => p.kind === 'record').map((p) => (p as { table: string }).table)).toContain(table);
    });
  }

  // The baseline is written when an old SQLite file is migrated: a PostgreSQL database starts at the current schema.
  const upgrade = 'attests rows written before the upgrade once, in a baseline entry';
  it.skipIf(missing(testBackend() === 'sqlite', upgrade, 'it upgrades an old SQLite file'))(upgrade, async () => {
    const file = join(tmp.dir, 'old.sqlite');
    const old = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version < 53) });
    old
      .prepare(
        "INSERT INTO accounts (name, display_name, password_hash, roles_json, created_us, created_by, password_set_us) VALUES ('old', 'Old', 'h', '[\"admin\"]', 1, 'cli', 1)",
      )
      .run();
    old.close();
    const store = Store.open(file);
    try {
      const entries = store.audit.withActionPrefix('record.baseline');
      expect(entries).toHaveLength(1);
      expect(JSON.parse(entries[0]!.payload_json).attested).toEqual([{ table: 'accounts', key: '1', digest: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
      const fresh = Store.open(join(tmp.dir, 'new.sqlite'));
      expect(fresh.audit.count()).toBe(0); // a new store has nothing to attest
      fresh.close();
    } finally {
      store.close();
    }
  });
});
