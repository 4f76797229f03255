import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import { verifyPassword } from '../../../src/accounts/password.ts';
import { openBackendCore, type BackendCore } from '../../support/backend-core.ts';
import { ManualClock } from '../../support/clock.ts';
import { backendUnavailable, testBackend } from '../../support/database.ts';
import { addPerson, seatOf, TEST_PASSWORD } from '../../support/seats.ts';
import { seedAlerts } from '../../support/store-fixtures.ts';
import { missing } from '../../support/skip.ts';
import { tempDir } from '../../support/temp.ts';

describe.skipIf(backendUnavailable('people and seats'))(`people, sign-in and the seat lock, enforced by the core (${testBackend()})`, () => {
  let tmp: ReturnType<typeof tempDir>;
  let backend: BackendCore;
  let core: Core;
  let clock: ManualClock;
  const audit = (action: string) =>
    backend.probe.query<{ actor: string; entity: string; payload_json: string }>(
      'SELECT actor, entity, payload_json FROM audit_log WHERE action = ? ORDER BY seq',
      action,
    );
  const accountNamed = (name: string) => core.storePort.read((tx) => tx.accounts.byName(name));
  const claimOn = (alertId: number) => core.storePort.read((tx) => tx.claims.get(alertId));
  /** Pending alerts in the port's database (its backend's), as an import would leave them. */
  const pendingAlerts = (count: number) => core.storePort.write((tx) => seedAlerts(tx, count));

  beforeEach(async () => {
    tmp = tempDir();
    clock = new ManualClock();
    backend = await openBackendCore(join(tmp.dir, 'data'), { clock });
    core = backend.core;
  });
  afterEach(async () => {
    await backend.close();
    tmp.cleanup();
  });

  it('on a new store a seat can only create the first administrator, once', async () => {
    const seat = core.openSession('loopback');
    expect(await core.call(seat, 'getSeat', {})).toMatchObject({ needsFirstAdmin: true, person: null, locked: false });
    const refused = await core.dispatch(seat, 'listAlerts', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: expect.stringMatching(/create the first administrator/) } });
    expect(await core.dispatch(seat, 'signIn', { name: 'anyone', password: 'whatever-it-is' })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });

    const state = await core.call(seat, 'createFirstAdmin', { name: 'Ada', displayName: 'Ada Admin', password: TEST_PASSWORD });
    expect(state).toMatchObject({ needsFirstAdmin: false, person: { name: 'ada', displayName: 'Ada Admin', roles: ['admin'] }, locked: false });
    expect((await core.call(seat, 'listAlerts', {})).alerts).toEqual([]);

    const other = core.openSession('loopback');
    const again = await core.dispatch(other, 'createFirstAdmin', { name: 'mallory', displayName: 'M', password: TEST_PASSWORD });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await core.storePort.read((tx) => tx.accounts.count())).toBe(1);
    expect(await audit('account.created')).toHaveLength(1);
    expect((await audit('session.signin')).map((r) => r.actor)).toEqual(['ada']);
  });

  it('stores passwords only as salted scrypt hashes', async () => {
    await addPerson(core, 'rita', ['reviewer']);
    await addPerson(core, 'rolf', ['reviewer']);
    const hashes = (await backend.probe.query<{ password_hash: string }>('SELECT password_hash FROM accounts ORDER BY name')).map((r) => r.password_hash);
    for (const h of hashes) {
      expect(h).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(h).not.toContain(TEST_PASSWORD);
      expect(await verifyPassword(TEST_PASSWORD, h)).toBe(true);
      expect(await verifyPassword(`${TEST_PASSWORD}!`, h)).toBe(false);
    }
    expect(hashes[0]).not.toBe(hashes[1]); // each its own salt
    expect(await verifyPassword(TEST_PASSWORD, 'scrypt$30$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=')).toBe(false);
    expect(await verifyPassword(TEST_PASSWORD, 'plain')).toBe(false);
  });

  it("a reviewer is refused an administrator's action by the core, and a role change applies to a seat already open", async () => {
    await addPerson(core, 'ada', ['admin']);
    await addPerson(core, 'rita', ['reviewer']);
    const admin = await seatOf(core, 'ada');
    const rita = await seatOf(core, 'rita');
    const attempt = await core.dispatch(rita, 'createAccount', { name: 'eve', displayName: 'Eve', password: TEST_PASSWORD, roles: ['admin'] });
    expect(attempt).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'createAccount needs the role admin' } });
    expect(await core.dispatch(rita, 'setSeatSettings', { idleLockSeconds: 99999 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await accountNamed('eve')).toBeUndefined();

    const ritaId = (await accountNamed('rita'))!.id;
    await core.call(admin, 'setAccountRoles', { accountId: ritaId, roles: ['reviewer', 'admin'] });
    expect((await core.call(rita, 'listAccounts', {})).accounts.map((a) => a.name)).toEqual(['ada', 'rita']);
    await core.call(admin, 'setAccountRoles', { accountId: ritaId, roles: ['auditor'] });
    expect(await core.dispatch(rita, 'listAccounts', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await audit('account.roles_changed')).map((r) => JSON.parse(r.payload_json).to)).toEqual([['reviewer', 'admin'], ['auditor']]);
  });

  it('keeps at least one enabled administrator', async () => {
    await addPerson(core, 'ada', ['admin']);
    const admin = await seatOf(core, 'ada');
    const adaId = (await accountNamed('ada'))!.id;
    expect(await core.dispatch(admin, 'setAccountRoles', { accountId: adaId, roles: ['reviewer'] })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await core.dispatch(admin, 'setAccountDisabled', { accountId: adaId, disabled: true })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await addPerson(core, 'bea', ['admin']);
    await core.call(admin, 'setAccountRoles', { accountId: adaId, roles: ['reviewer'] });
    expect((await core.storePort.read((tx) => tx.accounts.byId(adaId)))!.roles).toEqual(['reviewer']);
  });

  it('a disabled person is signed out at their next call, and cannot sign in', async () => {
    await addPerson(core, 'ada', ['admin']);
    await addPerson(core, 'rita', ['reviewer']);
    const admin = await seatOf(core, 'ada');
    const rita = await seatOf(core, 'rita');
    await core.call(admin, 'setAccountDisabled', { accountId: (await accountNamed('rita'))!.id, disabled: true });
    expect(await core.dispatch(rita, 'listAlerts', {})).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated', message: expect.stringMatching(/disabled/) },
    });
    expect(rita.actor).toBeNull();
    expect(await core.dispatch(core.openSession('loopback'), 'signIn', { name: 'rita', password: TEST_PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/disabled/) },
    });
  });

  it('wrong passwords and unknown names get the same answer; five failures block the name, however fast they come', async () => {
    await addPerson(core, 'rita', ['reviewer']);
    const seat = core.openSession('loopback');
    const wrong = await core.dispatch(seat, 'signIn', { name: 'rita', password: 'not her password' });
    const unknown = await core.dispatch(seat, 'signIn', { name: 'nobody', password: 'not her password' });
    expect(wrong).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'wrong name or password' } });
    expect(unknown).toEqual(wrong);
    // Four more at once: counted before any hash is checked, so parallel guesses gain nothing.
    const burst = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((i) => core.dispatch(core.openSession('loopback'), 'signIn', { name: 'rita', password: `guess ${i} guess` })),
    );
    expect(burst.filter((r) => !r.ok && r.error.code === 'forbidden')).toHaveLength(2);
    const blocked = await core.dispatch(seat, 'signIn', { name: 'rita', password: TEST_PASSWORD });
    expect(blocked).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/try again in \d+ s/) } });
    expect(seat.actor).toBeNull();
    expect((await audit('session.signin_failed')).map((r) => JSON.parse(r.payload_json).reason)).toEqual([
      'wrong_password',
      'unknown_name',
      ...Array(4).fill('wrong_password'),
    ]);

    clock.advanceSeconds(31);
    expect(await core.call(seat, 'signIn', { name: 'rita', password: TEST_PASSWORD })).toMatchObject({ person: { name: 'rita' } });
    // The right password forgives the count.
    expect(await core.dispatch(core.openSession('loopback'), 'signIn', { name: 'rita', password: 'wrong again' })).toMatchObject({
      error: { code: 'unauthenticated' },
    });
  });

  it('an idle seat locks: every call is refused, its claim released, until the password is given again', async () => {
    await addPerson(core, 'rita', ['reviewer']);
    await addPerson(core, 'ruth', ['reviewer']);
    const [alert] = await pendingAlerts(1);
    const rita = await seatOf(core, 'rita');
    await core.call(rita, 'claimAlert', { alertId: alert! });
    // Passive calls (the queue's refresh, a heartbeat saying "no input") do not keep the seat open.
    clock.advanceSeconds(14 * 60);
    await core.call(rita, 'getQueue', {});
    await core.call(rita, 'heartbeat', { active: false, alertId: alert! });
    clock.advanceSeconds(61);
    const refused = await core.dispatch(rita, 'getQueue', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'unauthenticated', details: { locked: true } } });
    expect(await core.call(rita, 'getSeat', {})).toMatchObject({ locked: true, lockReason: 'idle', person: { name: 'rita' } });
    expect(await claimOn(alert!)).toBeUndefined();
    // Someone else can take the alert now.
    const ruth = await seatOf(core, 'ruth');
    expect(await core.call(ruth, 'claimAlert', { alertId: alert! })).toMatchObject({ by: 'ruth' });

    expect(await core.dispatch(rita, 'unlockSeat', { password: 'not it at all' })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated', message: 'wrong password' },
    });
    expect(await core.dispatch(rita, 'decide', { alertId: alert!, class: 'fireworks', reviewMs: 1 })).toMatchObject({
      ok: false,
      error: { details: { locked: true } },
    });
    expect(await core.call(rita, 'unlockSeat', { password: TEST_PASSWORD })).toMatchObject({ locked: false, lockReason: null });
    expect((await core.call(rita, 'getQueue', {})).alerts).toHaveLength(1);
    // A lock the person asked for says so.
    await core.call(rita, 'lockSeat', {});
    expect(await core.call(rita, 'getSeat', {})).toMatchObject({ locked: true, lockReason: 'requested' });
    await core.call(rita, 'unlockSeat', { password: TEST_PASSWORD });
    expect((await audit('session.locked')).map((r) => JSON.parse(r.payload_json).reason)).toEqual(['idle', 'requested']);
    expect(await audit('session.unlock_failed')).toHaveLength(1);
    expect(await audit('session.unlocked')).toHaveLength(2);
  });

  it('an active heartbeat keeps the seat open; the idle time is a setting; too many wrong passwords at the lock sign the seat out', async () => {
    await addPerson(core, 'ada', ['admin', 'reviewer']);
    const ada = await seatOf(core, 'ada');
    await core.call(ada, 'setSeatSettings', { idleLockSeconds: 60 });
    for (let i = 0; i < 5; i++) {
      clock.advanceSeconds(50);
      await core.call(ada, 'heartbeat', { active: true, alertId: null });
    }
    clock.advanceSeconds(61);
    expect(await core.dispatch(ada, 'getQueue', {})).toMatchObject({ ok: false, error: { details: { locked: true } } });
    for (let i = 0; i < 5; i++)
      expect(await core.dispatch(ada, 'unlockSeat', { password: `wrong ${i} wrong` })).toMatchObject({ error: { code: 'unauthenticated' } });
    expect(await core.dispatch(ada, 'unlockSeat', { password: TEST_PASSWORD })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await core.call(ada, 'getSeat', {})).toMatchObject({ person: null, locked: false });
    expect(JSON.parse((await audit('session.signout')).at(-1)!.payload_json).reason).toBe('unlock_failures');
  });

  it("signing out releases the seat's claim and refuses further calls", async () => {
    await addPerson(core, 'rita', ['reviewer']);
    const [alert] = await pendingAlerts(1);
    const rita = await seatOf(core, 'rita');
    await core.call(rita, 'claimAlert', { alertId: alert! });
    await core.call(rita, 'signOut', {});
    expect(await claimOn(alert!)).toBeUndefined();
    expect(await core.dispatch(rita, 'getQueue', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: 'sign in first' } });
  });

  it("remembers each person's theme", async () => {
    await addPerson(core, 'rita', ['reviewer']);
    const rita = await seatOf(core, 'rita');
    expect((await core.call(rita, 'getSeat', {})).preferences).toEqual({ theme: 'dark', autoNext: false });
    await core.call(rita, 'setMyPreferences', { theme: 'light' });
    const later = await seatOf(core, 'rita');
    expect((await core.call(later, 'getSeat', {})).preferences).toEqual({ theme: 'light', autoNext: false });
    expect(await core.dispatch(rita, 'setMyPreferences', { theme: 'sepia' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
  it('a seat signed out or locked is refused at once, and gets no events, though its account row is remembered', async () => {
    await addPerson(core, 'rita', ['reviewer']);
    const [first, second] = await pendingAlerts(2);
    const rita = await seatOf(core, 'rita');
    const claimed = { alertId: first!, claim: null };
    expect(core.eventFor(rita, 'claimChanged', claimed)).toEqual(claimed);
    await core.call(rita, 'claimAlert', { alertId: first! });
    await core.call(rita, 'lockSeat', {});
    // Nothing read again: the same second, the remembered row would still admit rita; the lock does not.
    expect(core.eventFor(rita, 'claimChanged', claimed)).toBeNull();
    expect(await core.dispatch(rita, 'getQueue', {})).toMatchObject({ ok: false, error: { details: { locked: true } } });
    expect(await claimOn(first!)).toBeUndefined();
    await core.call(rita, 'unlockSeat', { password: TEST_PASSWORD });
    expect(core.eventFor(rita, 'claimChanged', claimed)).toEqual(claimed);
    await core.call(rita, 'claimAlert', { alertId: second! });
    await core.call(rita, 'signOut', {});
    expect(core.eventFor(rita, 'claimChanged', claimed)).toBeNull();
    expect(await core.dispatch(rita, 'getQueue', {})).toMatchObject({ ok: false, error: { message: 'sign in first' } });
    expect(await claimOn(second!)).toBeUndefined();
    // The lock's entry comes before the claim goes; the sign-out's after: one write each, as the log shows.
    expect((await audit('session.locked')).map((r) => JSON.parse(r.payload_json).reason)).toEqual(['requested']);
    expect((await audit('session.signout')).map((r) => JSON.parse(r.payload_json).reason)).toEqual(['requested']);
  });

  it("an administrator's change here applies at once; a change behind this core (the CLI, another server) within a second", async () => {
    await addPerson(core, 'ada', ['admin']);
    await addPerson(core, 'rita', ['reviewer', 'trainer']);
    const admin = await seatOf(core, 'ada');
    const rita = await seatOf(core, 'rita');
    const ritaId = (await accountNamed('rita'))!.id;
    await core.call(admin, 'setAccountRoles', { accountId: ritaId, roles: ['trainer'] });
    expect(await core.dispatch(rita, 'claimNext', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await core.call(admin, 'setAccountRoles', { accountId: ritaId, roles: ['reviewer'] });
    expect(await core.dispatch(rita, 'claimNext', {})).toMatchObject({ ok: true });

    // Written behind this core: what it remembers stands for at most a second of its clock.
    expect(await backend.probe.run('UPDATE accounts SET disabled_us = ? WHERE id = ?', clock.nowUs(), ritaId)).toBe(1);
    expect(await core.dispatch(rita, 'getQueue', {})).toMatchObject({ ok: true });
    expect(core.mayReceiveEvents(rita)).toBe(true);
    clock.advanceSeconds(1);
    expect(await core.dispatch(rita, 'getQueue', {})).toMatchObject({ ok: false, error: { message: expect.stringMatching(/disabled/) } });
    expect(rita.actor).toBeNull();
    expect(core.mayReceiveEvents(rita)).toBe(false);
  });

  it('the idle time an administrator sets applies to every seat at once, its live events too', async () => {
    await addPerson(core, 'ada', ['admin', 'reviewer']);
    const ada = await seatOf(core, 'ada');
    const other = await seatOf(core, 'ada');
    await core.call(other, 'setSeatSettings', { idleLockSeconds: 60 });
    clock.advanceSeconds(61);
    expect(core.mayReceiveEvents(ada)).toBe(false);
    expect(await core.dispatch(ada, 'getQueue', {})).toMatchObject({ ok: false, error: { details: { locked: true } } });
    expect((await audit('settings.changed')).map((r) => JSON.parse(r.payload_json).now.idleLockSeconds)).toEqual([60]);
  });
  const waiting = 'a call whose admission waited while its seat closed is refused, not answered';
  // The wait is for SQLite's one connection, held by a write; on PostgreSQL a read does not wait for a write.
  it.skipIf(missing(testBackend() === 'sqlite', waiting, 'on PostgreSQL a read does not wait for a write'))(waiting, async () => {
    await addPerson(core, 'rita', ['reviewer']);
    const rita = await seatOf(core, 'rita');
    // What admission remembers is older than a second: it reads the account again, and waits for the write below.
    clock.advanceSeconds(2);
    let letGo = () => {};
    const holding = core.storePort.write(() => new Promise<void>((resolve) => (letGo = resolve)));
    const listing = core.dispatch(rita, 'listAlerts', {});
    await new Promise((r) => setTimeout(r, 20));
    const closing = core.closeSession(rita);
    letGo();
    await holding;
    await closing;
    expect(await listing).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: 'sign in first' } });
    expect((await audit('session.signout')).map((r) => JSON.parse(r.payload_json).reason)).toEqual(['closed']);
  });
});
