import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertSummary } from '../../../../src/contract/index.ts';
import type { Core } from '../../../../src/core/core.ts';
import { defaultNetwork } from '../../../../src/ingest/demo/network.ts';
import { renderAlert, writeBundle } from '../../../../src/ingest/demo/output.ts';
import { planAlert } from '../../../../src/ingest/demo/plan.ts';
import { importFolder } from '../../../../src/ingest/import.ts';
import { parseIsoMicros } from '../../../../src/util/time.ts';
import { auditRows } from '../../../support/backend-core.ts';
import { backendUnavailable } from '../../../support/database.ts';
import { addPerson, seatOf } from '../../../support/seats.ts';
import { tempDir } from '../../../support/temp.ts';
import { twoServersOnOneDatabase, type TwoServers } from '../../../support/two-servers.ts';
import { until } from '../../../support/until.ts';

/** A demo network's bundle on disk, as a sensor network or the inbox would leave it. */
function bundle(dir: string, id: string): string {
  const plan = planAlert({ network: defaultNetwork(), seed: 'shared-import', index: 1, scenario: 'single_shot', minSensors: 4, maxSensors: 4, durationS: 2 });
  return writeBundle(dir, renderAlert(plan, { epochUs: parseIsoMicros('2026-12-01T21:00:00Z'), id }));
}

/** Imports on the store port: an alert imported on one server of a centre is on every server's queue at once. */
describe.skipIf(backendUnavailable('imports on two servers', 'postgres'))('two servers on one database import into one queue', () => {
  let servers: TwoServers;
  let a: Core;
  let b: Core;
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(async () => {
    servers = await twoServersOnOneDatabase();
    ({ a, b } = servers);
    tmp = tempDir();
    await addPerson(a, 'ada', ['admin']);
  });
  afterEach(async () => {
    await servers.close();
    tmp.cleanup();
  });

  it("an alert imported on one server is announced to the other's seats and listed there", async () => {
    const heard: AlertSummary[] = [];
    b.events.subscribe((event, payload) => void (event === 'alertAdded' && heard.push((payload as { alert: AlertSummary }).alert)));
    const outcome = await importFolder(a, bundle(tmp.dir, 'SHARED-1'), 'inbox');
    expect(outcome.status, outcome.message).toBe('imported');
    await until(() => heard.length > 0);
    expect(heard.map((s) => [s.id, s.externalId])).toEqual([[outcome.alertId, 'SHARED-1']]);
    const listed = await b.call(await seatOf(b, 'ada'), 'listAlerts', { status: 'pending' });
    expect(listed.alerts.map((s) => s.id)).toEqual([outcome.alertId]);
    expect(await auditRows(servers.probe, 'alert.imported')).toHaveLength(1);
  });

  it('the same alert imported on both servers at once is stored once: one import, one duplicate of it', async () => {
    const dir = bundle(tmp.dir, 'SHARED-2');
    const outcomes = await Promise.all([importFolder(a, dir, 'inbox'), importFolder(b, dir, 'intake')]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['duplicate', 'imported']);
    expect(new Set(outcomes.map((o) => o.alertId)).size).toBe(1);
    expect(await auditRows(servers.probe, 'alert.imported')).toHaveLength(1);
    expect(await auditRows(servers.probe, 'solution.added')).toHaveLength(1);
  });
});
