import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordsCollector } from '../../../../src/audit/records-check.ts';
import type { VerifyProblem } from '../../../../src/audit/problems.ts';
import type { AttestedTableName, WriteTx } from '../../../../src/kernel/store-port.ts';
import { ATTESTED_TABLE_NAMES } from '../../../../src/store/attested.ts';
import { backendUnavailable, openTestDatabase, testBackend, type TestDatabase } from '../../../support/database.ts';
import { seedAlerts, T0 } from '../../../support/store-fixtures.ts';

const backend = testBackend();

/** What `audit verify` says of the attested tables: the log walked, every row's digest compared, in one snapshot. */
async function attestedProblems(t: TestDatabase): Promise<VerifyProblem[]> {
  return t.store.read(async (tx) => {
    const records = new RecordsCollector();
    for await (const row of tx.audit.iterate()) records.visit(row);
    const rows = new Map<AttestedTableName, { key: string; digest: string }[]>();
    for (const table of ATTESTED_TABLE_NAMES) rows.set(table, await tx.auditReads.attestedRows(table));
    return records.attestedProblems((table) => rows.get(table)!);
  });
}

const entry = (action: string, entity: string, payload: unknown = {}) => ({ atUs: T0 + 10, actor: 'ada', action, entity, payload });

/** Publishing as the services do it: an incident routed to an agency, its message, a delivery. */
async function publish(tx: WriteTx, alertId: number, agencyId: number, endpointId: number): Promise<{ incidentId: number; deliveryId: number }> {
  const incident = await tx.incidents.create(alertId, 'routed', 'Actual', null, T0 + 20);
  await tx.incidents.addAgency(incident.id, agencyId, 'jurisdiction', T0 + 20, 'ada');
  const message = await tx.incidents.addMessage({
    incidentId: incident.id,
    seq: 1,
    msgType: 'Alert',
    identifier: `ew-${alertId}-1`,
    sender: 'ew',
    sentUs: T0 + 20,
    changes: [],
    decisionId: null,
    solutionId: null,
    factsJson: '{}',
    capXml: '<alert/>',
    jsonBody: '{}',
    createdBy: 'ada',
  });
  const deliveryId = (await tx.deliveries.enqueue({
    incidentId: incident.id,
    messageId: message.id,
    seq: 1,
    agencyId,
    endpointId,
    idempotencyKey: `k-${alertId}`,
    atUs: T0 + 20,
  }))!;
  await tx.audit.append(entry('incident.published', `incident:${incident.id}`, { alertId, incidentId: incident.id }));
  return { incidentId: incident.id, deliveryId };
}

describe.skipIf(backendUnavailable('attested rows through the port'))(`attested rows through the store port (${backend})`, () => {
  let t: TestDatabase;
  let agencyId: number;
  let endpointId: number;
  beforeEach(async () => {
    t = await openTestDatabase();
    ({ agencyId, endpointId } = await t.store.write(async (tx) => {
      await seedAlerts(tx, 2);
      const agencyId = await tx.agencies.insert({
        name: 'City PD',
        classes: ['gunfire_single'],
        jurisdictionJson: '{}',
        sourceType: 'Polygon',
        bbox: [-1, -1, 1, 1],
        polygons: 1,
        holes: 0,
        vertices: 4,
        createdUs: T0,
        createdBy: 'ada',
        endpoints: [{ url: 'https://pd.invalid/cap', format: 'cap', secret: 's'.repeat(32) }],
      });
      await tx.audit.append(entry('agency.created', `agency:${agencyId}`));
      return { agencyId, endpointId: (await tx.agencies.get(agencyId))!.endpoints[0]!.id };
    }));
  });
  afterEach(async () => t.close());

  it('attests every change in the entry that records it, and what no entry took in a record.attested entry before COMMIT', async () => {
    const { deliveryId } = await t.store.write((tx) => publish(tx, 1, agencyId, endpointId));
    await t.store.write(async (tx) => {
      const a = await tx.accounts.insert({ name: 'bob', displayName: 'Bob', passwordHash: 'h1', roles: ['reviewer'], createdUs: T0, createdBy: 'ada' });
      await tx.accounts.setRoles(a.id, ['reviewer', 'trainer']);
      await tx.audit.append(entry('account.created', `account:${a.id}`));
      // No entry of its own: the transaction's record.attested entry takes it.
      await tx.settings.put('seat', { queueOrder: 'oldest_first' }, T0 + 30);
    });
    await t.store.write(async (tx) => {
      await tx.deliveries.claim(T0 + 40, 'w1', T0 + 100, 5, new Set());
      await tx.deliveries.finish({
        deliveryId,
        attempt: 1,
        owner: 'w1',
        finishedUs: T0 + 41,
        httpStatus: 200,
        latencyMs: 3,
        outcome: 'delivered',
        error: null,
        responseExcerpt: null,
        nextAttemptUs: null,
      });
      await tx.agencies.setEndpointSecret(agencyId, endpointId, 't'.repeat(32));
    });
    const log = await t.store.read(async (tx) => {
      const rows = [];
      for await (const r of tx.audit.iterate())
        rows.push({ action: r.action, attested: (JSON.parse(r.payload_json) as { attested?: { table: string; key: string }[] }).attested });
      return rows;
    });
    const keys = (action: string, i = 0) => log.filter((r) => r.action === action)[i]?.attested?.map((a) => `${a.table}:${a.key}`);
    expect(keys('agency.created')).toEqual(['agencies:1', 'agency_endpoints:1']);
    expect(keys('incident.published')).toEqual(['deliveries:1', 'incident_agencies:1:1', 'incident_messages:1', 'incidents:1']);
    expect(keys('account.created')).toEqual(['accounts:1']);
    // The setting after the entry, and the delivery and endpoint of a transaction with no entry, each in a record.attested entry.
    expect(keys('record.attested', 0)).toEqual(['settings:seat']);
    expect(keys('record.attested', 1)).toEqual(['agency_endpoints:1', 'deliveries:1']);
    expect(log.filter((r) => r.action === 'record.attested')).toHaveLength(2);
    expect(await attestedProblems(t)).toEqual([]);
  });

  it('attests nothing of a write that rolled back, and nothing when a write changed no attested row', async () => {
    await expect(
      t.store.write(async (tx) => {
        await tx.settings.put('seat', { queueOrder: 'newest_first' }, T0);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await t.store.write(async (tx) => {
      await tx.claims.take(1, { accountId: null, by: 'ann', seat: 's1' }, T0, 60_000_000);
    });
    const actions = await t.store.read(async (tx) => (await tx.audit.page(0, 100)).map((r) => r.action));
    expect(actions).toEqual(['agency.created']);
    expect(await attestedProblems(t)).toEqual([]);
  });

  it('names a row edited, added or removed behind the log', async () => {
    await t.store.write((tx) => publish(tx, 1, agencyId, endpointId));
    await t.store.write(async (tx) => {
      await tx.settings.put('seat', { queueOrder: 'oldest_first' }, T0 + 30);
      await tx.accounts.insert({ name: 'bob', displayName: 'Bob', passwordHash: 'h1', roles: ['reviewer'], createdUs: T0, createdBy: 'ada' });
    });
    expect(await attestedProblems(t)).toEqual([]);
    await t.probe.run("UPDATE incident_messages SET cap_xml = '<alert>forged</alert>' WHERE id = 1");
    await t.probe.run("UPDATE agency_endpoints SET url = 'https://elsewhere.invalid/' WHERE id = ?", endpointId);
    await t.probe.run('DELETE FROM accounts WHERE name = ?', 'bob');
    await t.probe.run("INSERT INTO settings (key, value_json, updated_us) VALUES ('map', '{}', 1)");
    const messages = (await attestedProblems(t)).map((p) => (p as { message: string }).message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^message 1 differs from what entry \d+ attested$/),
        expect.stringMatching(/^agency endpoint 1 differs from what entry \d+ attested$/),
        expect.stringMatching(/^entry \d+ attests account 1, but the row is gone$/),
        'no audit entry attests setting map: it was added or changed behind the log',
      ]),
    );
    expect(messages).toHaveLength(4);
  });

  it("keeps an incident's CAP status, the agencies it was withheld from and a source's status, each attested; an edit behind the log is named", async () => {
    const incidentId = await t.store.write(async (tx) => {
      await tx.sources.set('drill-net', 'exercise', 'spring drill', T0 + 5, 'ada');
      const incident = await tx.incidents.create(2, 'routed', 'Exercise', null, T0 + 20);
      expect(await tx.incidents.withhold(incident.id, agencyId, 'Exercise', 'accepts Actual only', T0 + 20)).toBe(true);
      expect(await tx.incidents.withhold(incident.id, agencyId, 'Exercise', 'again', T0 + 21)).toBe(false);
      await tx.audit.append(entry('incident.published', `incident:${incident.id}`, { alertId: 2 }));
      return incident.id;
    });
    await t.store.read(async (tx) => {
      expect((await tx.incidents.get(incidentId))?.status).toBe('Exercise');
      expect(await tx.incidents.withheld(incidentId)).toEqual([
        { agencyId, agencyName: 'City PD', status: 'Exercise', reason: 'accepts Actual only', atUs: T0 + 20 },
      ]);
      expect(await tx.sources.statusOf('drill-net')).toBe('exercise');
      expect(await tx.sources.statusOf('nobody-marked-it')).toBeNull();
      expect(await tx.sources.get('drill-net')).toEqual({ status: 'exercise', note: 'spring drill', setUs: T0 + 5, setBy: 'ada' });
    });
    await t.store.write((tx) => tx.sources.set('drill-net', 'test', null, T0 + 30, 'ada'));
    expect(await t.store.read((tx) => tx.sources.get('drill-net'))).toEqual({ status: 'test', note: null, setUs: T0 + 30, setBy: 'ada' });
    expect(await attestedProblems(t)).toEqual([]);
    await t.probe.run("UPDATE incident_withheld SET reason = 'nothing' WHERE incident_id = ?", incidentId);
    await t.probe.run("UPDATE source_statuses SET status = 'live' WHERE source = 'drill-net'");
    expect(await attestedProblems(t)).toHaveLength(2);
  });
});
