import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../../src/core/core.ts';
import { auditRows } from '../../../support/backend-core.ts';
import { ManualClock } from '../../../support/clock.ts';
import { backendUnavailable } from '../../../support/database.ts';
import { addPerson, seatOf, TEST_PASSWORD } from '../../../support/seats.ts';
import { seedAlerts } from '../../../support/store-fixtures.ts';
import { twoServersOnOneDatabase, type TwoServers } from '../../../support/two-servers.ts';
import { until } from '../../../support/until.ts';

/**
 * Two servers on one PostgreSQL database, one clock: a person managed on one server is managed on
 * both. What each remembers for admission (SeatFacts) follows the other's writes: the seat
 * settings as their NOTIFY arrives, an account within a second.
 */
describe.skipIf(backendUnavailable('people and seats on two servers', 'postgres'))('two servers on one database share people and seats', () => {
  let servers: TwoServers;
  let clock: ManualClock;
  let a: Core;
  let b: Core;
  beforeEach(async () => {
    clock = new ManualClock();
    servers = await twoServersOnOneDatabase(clock);
    ({ a, b } = servers);
  });
  afterEach(() => servers.close());

  it("an administrator on one server disables a person signed in on the other: refused there within a second, that seat's claim released", async () => {
    await addPerson(a, 'ada', ['admin']);
    await addPerson(a, 'rita', ['reviewer']);
    const [alert] = await a.storePort.write((tx) => seedAlerts(tx, 1));
    const admin = await seatOf(a, 'ada');
    const rita = await seatOf(b, 'rita');
    await b.call(rita, 'claimAlert', { alertId: alert! });
    const ritaId = (await a.storePort.read((tx) => tx.accounts.byName('rita')))!.id;
    await a.call(admin, 'setAccountDisabled', { accountId: ritaId, disabled: true });
    clock.advanceSeconds(1);
    expect(await b.dispatch(rita, 'getQueue', {})).toMatchObject({ ok: false, error: { message: expect.stringMatching(/disabled/) } });
    expect(await a.storePort.read((tx) => tx.claims.get(alert!))).toBeUndefined();
    expect((await auditRows(servers.probe, 'session.signout')).map((r) => JSON.parse(r.payload_json).reason)).toEqual(['disabled']);
    expect(await b.dispatch(b.openSession('loopback'), 'signIn', { name: 'rita', password: TEST_PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('the idle time set on one server locks seats on the other, and stops their events, as soon as its NOTIFY arrives', async () => {
    await addPerson(a, 'ada', ['admin', 'reviewer']);
    const admin = await seatOf(a, 'ada');
    const there = await seatOf(b, 'ada');
    clock.advanceSeconds(120);
    expect(b.mayReceiveEvents(there)).toBe(true);
    await a.call(admin, 'setSeatSettings', { idleLockSeconds: 60 });
    await until(() => !b.mayReceiveEvents(there));
    expect(await b.dispatch(there, 'getQueue', {})).toMatchObject({ ok: false, error: { details: { locked: true } } });
  });

  it('counts every wrong password for one name, whichever server it reaches', async () => {
    await addPerson(a, 'rita', ['reviewer']);
    const tries = await Promise.all(
      [a, b, a, b, a, b].map((core, i) => core.dispatch(core.openSession('loopback'), 'signIn', { name: 'rita', password: `guess ${i} guess` })),
    );
    // Five free failures, then the name is blocked: the sixth is refused before its password is checked.
    expect(tries.filter((r) => !r.ok && r.error.code === 'forbidden')).toHaveLength(1);
    expect(await servers.probe.query('SELECT failures FROM signin_throttle WHERE name_key = ?', 'rita')).toEqual([{ failures: 5 }]);
  });
});
