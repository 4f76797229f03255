import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertSummary, Claim } from '../../../../src/contract/index.ts';
import type { Core } from '../../../../src/core/core.ts';
import type { WriteTx } from '../../../../src/kernel/store-port.ts';
import { auditRows } from '../../../support/backend-core.ts';
import { ManualClock } from '../../../support/clock.ts';
import { backendUnavailable } from '../../../support/database.ts';
import { addPerson, seatOf } from '../../../support/seats.ts';
import { seedAlerts } from '../../../support/store-fixtures.ts';
import { twoServersOnOneDatabase, type TwoServers } from '../../../support/two-servers.ts';
import { until } from '../../../support/until.ts';

/** A decision as decide leaves it (decide is still on the synchronous store), in the shared database. */
async function decided(tx: WriteTx, alertId: number, by: string, atUs: number): Promise<void> {
  await tx.alerts.lock(alertId);
  const d = await tx.decisions.insert({
    alertId,
    class: 'fireworks',
    rounds: null,
    flags: { fullyAutomatic: false, multipleShooters: false },
    notes: '',
    decidedBy: by,
    decidedUs: atUs,
    reviewMs: 2000,
  });
  await tx.audit.append({ atUs, actor: by, action: 'decision.made', entity: `alert:${alertId}`, payload: d });
}

/** What one server's seats would be sent: alert changes and claims, as they reach its event bus. */
function listen(core: Core) {
  const alerts: AlertSummary[] = [];
  const claims: { alertId: number; claim: Claim | null }[] = [];
  core.events.subscribe((event, payload) => {
    if (event === 'alertChanged') alerts.push((payload as { alert: AlertSummary }).alert);
    if (event === 'claimChanged') claims.push(payload as { alertId: number; claim: Claim | null });
  });
  return { alerts, claims };
}

/** Two servers on one PostgreSQL database: the alert reads and undo on the port are one review floor. */
describe.skipIf(backendUnavailable('review on two servers', 'postgres'))('two servers on one database review one queue', () => {
  let servers: TwoServers;
  let clock: ManualClock;
  let a: Core;
  let b: Core;
  beforeEach(async () => {
    clock = new ManualClock();
    servers = await twoServersOnOneDatabase(clock);
    ({ a, b } = servers);
    await addPerson(a, 'ada', ['admin']);
    await addPerson(a, 'rita', ['reviewer']);
    await addPerson(a, 'rolf', ['reviewer']);
  });
  afterEach(() => servers.close());

  it("seats on two servers undo different alerts at once; each server hears the other's, and both list the same queue", async () => {
    const [first, second] = await a.storePort.write((tx) => seedAlerts(tx, 2));
    await a.storePort.write(async (tx) => {
      await decided(tx, first!, 'rita', clock.nowUs());
      await decided(tx, second!, 'rolf', clock.nowUs());
    });
    const rita = await seatOf(a, 'rita');
    const rolf = await seatOf(b, 'rolf');
    const [onA, onB] = [listen(a), listen(b)];

    const [fromA, fromB] = await Promise.all([a.call(rita, 'undoDecision', { alertId: first! }), b.call(rolf, 'undoDecision', { alertId: second! })]);
    expect(fromA.claim).toMatchObject({ alertId: first, seat: rita.tag });
    expect(fromB.claim).toMatchObject({ alertId: second, seat: rolf.tag });

    // Each server hears its own undo and the other's: the alert pending again, and who holds it.
    for (const heard of [onA, onB]) {
      await until(() => heard.alerts.length === 2 && heard.claims.length === 2);
      expect(heard.alerts.map((s) => [s.id, s.status]).sort()).toEqual([
        [first, 'pending'],
        [second, 'pending'],
      ]);
      expect(heard.claims.map((c) => [c.alertId, c.claim?.seat]).sort()).toEqual([
        [first, rita.tag],
        [second, rolf.tag],
      ]);
    }
    for (const core of [a, b]) {
      const listed = await core.call(await seatOf(core, 'ada'), 'listAlerts', { status: 'pending' });
      expect(listed.alerts.map((s) => s.id).sort()).toEqual([first, second].sort());
    }
    expect((await auditRows(servers.probe, 'decision.undone')).map((r) => r.entity).sort()).toEqual([`alert:${first}`, `alert:${second}`].sort());
  });

  it('an undo of one alert on each server at once: one wins, the other is told there is nothing to undo, and the log has one entry', async () => {
    const [alertId] = await a.storePort.write((tx) => seedAlerts(tx, 1));
    await a.storePort.write((tx) => decided(tx, alertId!, 'rita', clock.nowUs()));
    const rita = await seatOf(a, 'rita');
    const admin = await seatOf(b, 'ada');
    const results = await Promise.all([a.dispatch(rita, 'undoDecision', { alertId: alertId! }), b.dispatch(admin, 'undoDecision', { alertId: alertId! })]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([
      { ok: false, error: expect.objectContaining({ code: 'conflict', message: `alert ${alertId} has no decision to undo` }) },
    ]);
    expect(await auditRows(servers.probe, 'decision.undone')).toHaveLength(1);
    expect(await auditRows(servers.probe, 'alert.claimed')).toHaveLength(1);
    const undoneRows = await servers.probe.query<{ n: number }>('SELECT count(*) AS n FROM decisions WHERE undone_us IS NOT NULL');
    expect(Number(undoneRows[0]!.n)).toBe(1);
  });
});
