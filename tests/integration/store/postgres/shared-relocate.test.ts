import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../../../src/audit/verify.ts';
import type { AlertDetail, Incident, RelocatedShotInput } from '../../../../src/contract/index.ts';
import type { Core } from '../../../../src/core/core.ts';
import { importFolder } from '../../../../src/ingest/import.ts';
import { auditRows } from '../../../support/backend-core.ts';
import { writeSimpleBundle } from '../../../support/bundles.ts';
import { backendUnavailable } from '../../../support/database.ts';
import { CITY } from '../../../support/publish-fixtures.ts';
import { insertAgencyAround } from '../../../support/publishable.ts';
import { tempDir } from '../../../support/temp.ts';
import { twoServersOnOneDatabase, type TwoServers } from '../../../support/two-servers.ts';

/** The machine solution's shots as picks, one sensor's moved by `byS`. */
function machineShots(d: AlertDetail, sensorId: string, byS: number): RelocatedShotInput[] {
  const sol = d.solutions[0]!;
  return sol.shots.map((s) => ({
    index: s.index,
    picks: d.pulses
      .filter((p) => p.origin === 'machine' && p.shotIndex === s.index && s.sensorsUsed.includes(p.sensorId))
      .map((p) => ({ sensorId: p.sensorId, offsetS: p.sensorId === sensorId ? p.offsetS + byS : p.offsetS })),
  }));
}

const count = async (servers: TwoServers, sql: string, ...params: unknown[]): Promise<number> =>
  Number((await servers.probe.query<{ n: number }>(sql, ...params))[0]!.n);

/**
 * Two servers on one PostgreSQL database re-locating one published alert at once: the alert's
 * lock makes them take turns, the second finds the version it started from superseded and is
 * refused, so one version is added and each agency is sent one Update.
 */
describe.skipIf(backendUnavailable('re-location on two servers', 'postgres'))('two servers on one database re-locate one alert', () => {
  let servers: TwoServers;
  let a: Core;
  let b: Core;
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(async () => {
    tmp = tempDir();
    servers = await twoServersOnOneDatabase();
    ({ a, b } = servers);
  });
  afterEach(async () => {
    await servers.close();
    tmp.cleanup();
  });

  it('one wins, versions are not duplicated, one Update per agency; the other server hears it', async () => {
    await a.storePort.write((tx) => tx.settings.put('audit.qaSampleShare', 0, a.clock.nowUs()));
    const { dir } = writeSimpleBundle(join(tmp.dir, 'b1'), { id: 'SHARED-RELOC-1', sensors: 5 });
    const imported = await importFolder(a, dir, 'tester');
    expect(imported.status, imported.message).toBe('imported');
    const alertId = imported.alertId!;
    const d = await a.call(a.cliSession(), 'getAlert', { id: alertId });
    await a.storePort.write(async (tx) => {
      await insertAgencyAround(tx, { name: 'City Police', url: 'http://127.0.0.1:9/cap', at: CITY, half: 0.05 });
      await insertAgencyAround(tx, { name: 'County Sheriff', url: 'http://127.0.0.1:9/county', at: CITY, half: 0.1 });
      await tx.sources.set(d.source, 'live', 'the city network', a.clock.nowUs(), 'admin');
    });
    await a.call(a.cliSession(), 'decide', { alertId, class: 'gunfire_single', rounds: 1, reviewMs: 3000 });
    const incidentId = (await a.storePort.read((tx) => tx.incidents.byAlert(alertId)))!.id;
    expect(await count(servers, 'SELECT count(*) AS n FROM deliveries')).toBe(2);
    const heardOnB: Incident[] = [];
    b.events.subscribe((event, payload) => {
      if (event === 'incidentChanged') heardOnB.push((payload as { incident: Incident }).incident);
    });

    const results = await Promise.all([
      a.dispatch(a.cliSession(), 'relocate', { alertId, baseVersion: 1, shots: machineShots(d, 'S-002', 0.004), notes: 'S-002 took an echo' }),
      b.dispatch(b.cliSession(), 'relocate', { alertId, baseVersion: 1, shots: machineShots(d, 'S-003', -0.003), notes: 'S-003 was early' }),
    ]);
    const won = results.filter((r) => r.ok);
    expect(won).toEqual([{ ok: true, value: expect.objectContaining({ solution: expect.objectContaining({ version: 2 }) }) }]);
    expect(results.filter((r) => !r.ok)).toEqual([
      {
        ok: false,
        error: expect.objectContaining({ code: 'conflict', message: expect.stringMatching(/re-located meanwhile \(now version 2, you started from 1\)/) }),
      },
    ]);

    expect(await count(servers, 'SELECT count(*) AS n FROM solutions WHERE alert_id = ?', alertId)).toBe(2);
    expect(await count(servers, "SELECT count(*) AS n FROM pulses WHERE origin = 'reviewer'")).toBe(4);
    expect(await count(servers, 'SELECT count(*) AS n FROM incident_messages WHERE incident_id = ?', incidentId)).toBe(2);
    const updates = await servers.probe.query<{ agency_id: number; n: number }>(
      "SELECT d.agency_id, count(*) AS n FROM deliveries d JOIN incident_messages m ON m.id = d.message_id WHERE m.msg_type = 'Update' GROUP BY d.agency_id ORDER BY d.agency_id",
    );
    expect(updates.map((u) => Number(u.n))).toEqual([1, 1]);
    expect(await auditRows(servers.probe, 'solution.added')).toHaveLength(2); // the machine's and the winner's
    expect(await auditRows(servers.probe, 'incident.updated')).toHaveLength(1);

    const end = Date.now() + 5000;
    while (!heardOnB.some((i) => i.messages.length === 2) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(heardOnB.find((i) => i.messages.length === 2)).toMatchObject({ id: incidentId, messages: [{ msgType: 'Alert' }, { msgType: 'Update' }] });
    // The chain and every attested row, as the other server reads them (the clips are in a's clip store).
    expect((await verifyAudit(b, { clips: false })).problems).toEqual([]);
  });
});
