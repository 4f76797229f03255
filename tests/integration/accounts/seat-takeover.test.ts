import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { sha256Hex } from '../../../src/accounts/resume.ts';
import type { Core } from '../../../src/core/core.ts';
import type { Session } from '../../../src/kernel/session.ts';
import { auditRows, openBackendCore, portTableCounts, type BackendCore } from '../../support/backend-core.ts';
import { ManualClock } from '../../support/clock.ts';
import { backendUnavailable, testBackend } from '../../support/database.ts';
import { addPerson, TEST_PASSWORD } from '../../support/seats.ts';
import { seedAlerts } from '../../support/store-fixtures.ts';
import { tempDir } from '../../support/temp.ts';
import { until } from '../../support/until.ts';

const BROWSER_KEY = 'k'.repeat(43);
const OTHER_KEY = 'q'.repeat(43);

/**
 * A centre seat outlives its server (src/accounts/resume.ts): a second core on the same database,
 * as a second server of a centre, takes over a seat the first one opened, with its person, lock
 * and claims, from the seat's id and its browser's key; nothing else takes it.
 */
describe.skipIf(backendUnavailable('seat take-over'))(`a centre seat taken over by another server (${testBackend()})`, () => {
  let tmp: ReturnType<typeof tempDir>;
  let backend: BackendCore;
  let clock: ManualClock;
  let a: Core;
  let b: Core;

  /** A centre seat on server a, its browser holding BROWSER_KEY, with rita signed in. */
  const ritaOnA = async (): Promise<Session> => {
    const seat = a.openSession('network', '10.1.0.5', sha256Hex(BROWSER_KEY));
    await a.call(seat, 'signIn', { name: 'rita', password: TEST_PASSWORD });
    return seat;
  };
  const storedSeats = () => backend.probe.query<{ tag: string; locked: number; server: string; last_activity_us: number }>('SELECT * FROM seat_sessions');

  beforeEach(async () => {
    tmp = tempDir();
    clock = new ManualClock();
    backend = await openBackendCore(join(tmp.dir, 'a'), { clock });
    a = backend.core;
    b = await backend.secondCore(join(tmp.dir, 'b'), { clock });
    await addPerson(a, 'rita', ['reviewer']);
  });
  afterEach(async () => {
    await backend.close();
    tmp.cleanup();
  });

  it('takes the seat over with its person and its claim, audited, and the claim is decided there', async () => {
    const [alertId] = await a.storePort.write((tx) => seedAlerts(tx, 1));
    const onA = await ritaOnA();
    await a.call(onA, 'claimAlert', { alertId: alertId! });
    // Only the hashes of the two secrets are stored.
    const [row] = await backend.probe.query<Record<string, unknown>>('SELECT * FROM seat_sessions');
    expect(JSON.stringify(row)).not.toContain(onA.id);
    expect(JSON.stringify(row)).not.toContain(BROWSER_KEY);

    clock.advanceSeconds(5);
    const onB = await b.takeOverSeat(onA.id, BROWSER_KEY, '10.1.0.6');
    expect(onB).toMatchObject({ id: onA.id, tag: onA.tag, transport: 'network', address: '10.1.0.6', actor: { name: 'rita' }, locked: false });
    expect(await b.call(onB!, 'getSeat', {})).toMatchObject({ person: { name: 'rita' }, locked: false, seat: onA.tag });
    expect(b.seats.byTag(onA.tag)).toBe(onB);
    expect(await b.storePort.read((tx) => tx.claims.get(alertId!))).toMatchObject({ seat: onA.tag, by: 'rita' });
    expect(await b.call(onB!, 'decide', { alertId: alertId!, class: 'fireworks', reviewMs: 4000 })).toMatchObject({ class: 'fireworks', decidedBy: 'rita' });

    const [entry] = await auditRows(backend.probe, 'session.taken_over');
    expect(JSON.parse(entry!.payload_json)).toEqual({ seat: onA.tag, transport: 'network', address: '10.1.0.6', locked: false });
    expect((await storedSeats()).map((s) => s.server)).toEqual([b.runId]);
  });

  it('refuses a wrong browser key, an unknown seat and a loopback seat, writing nothing', async () => {
    const onA = await ritaOnA();
    const loopback = a.openSession('loopback');
    await a.call(loopback, 'signIn', { name: 'rita', password: TEST_PASSWORD });
    const before = await portTableCounts(backend.probe);
    expect(before.seat_sessions).toBe(1);
    expect(await b.takeOverSeat(onA.id, OTHER_KEY, '10.9.9.9')).toBeNull();
    expect(await b.takeOverSeat('00000000-0000-4000-8000-000000000000', BROWSER_KEY, '10.9.9.9')).toBeNull();
    expect(await b.takeOverSeat(loopback.id, BROWSER_KEY, '10.9.9.9')).toBeNull();
    expect(await portTableCounts(backend.probe)).toEqual(before);
    expect(b.seats.list()).toEqual([]);
  });

  it('keeps a locked seat locked, and gives none that was signed out or whose account was disabled', async () => {
    const locked = await ritaOnA();
    await a.call(locked, 'lockSeat', {});
    const onB = await b.takeOverSeat(locked.id, BROWSER_KEY, null);
    expect(onB).toMatchObject({ locked: true, lockReason: 'requested' });
    expect(await b.dispatch(onB!, 'listAlerts', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated', details: { locked: true } } });
    expect(await b.call(onB!, 'unlockSeat', { password: TEST_PASSWORD })).toMatchObject({ locked: false });
    expect((await storedSeats())[0]).toMatchObject({ locked: 0 });

    const signedOut = await ritaOnA();
    await a.call(signedOut, 'signOut', {});
    expect(await b.takeOverSeat(signedOut.id, BROWSER_KEY, null)).toBeNull();

    const disabled = await ritaOnA();
    const rita = await a.storePort.read((tx) => tx.accounts.byName('rita'));
    await a.call(a.cliSession(), 'setAccountDisabled', { accountId: rita!.id, disabled: true });
    expect(await b.takeOverSeat(disabled.id, BROWSER_KEY, null)).toBeNull();
  });

  it('a server closing a seat another took over signs nobody out; closing one it holds does', async () => {
    const [alertId] = await a.storePort.write((tx) => seedAlerts(tx, 1));
    const moved = await ritaOnA();
    await a.call(moved, 'claimAlert', { alertId: alertId! });
    await b.takeOverSeat(moved.id, BROWSER_KEY, null);
    await a.closeSession(moved);
    expect(await auditRows(backend.probe, 'session.signout')).toEqual([]);
    expect(await b.storePort.read((tx) => tx.claims.get(alertId!))).toMatchObject({ seat: moved.tag });

    const stays = await ritaOnA();
    await a.closeSession(stays);
    expect((await auditRows(backend.probe, 'session.signout')).map((r) => JSON.parse(r.payload_json).reason)).toEqual(['closed']);
    expect((await storedSeats()).map((s) => s.tag)).toEqual([moved.tag]);
  });

  it('a server still alive drops its copy of a seat another took over or signed out, and keeps its own', async () => {
    const moved = await ritaOnA();
    const stays = await ritaOnA();
    const endedThere = await ritaOnA();
    const onB = await b.takeOverSeat(moved.id, BROWSER_KEY, null);
    const endedOnB = await b.takeOverSeat(endedThere.id, BROWSER_KEY, null);
    await b.call(endedOnB!, 'signOut', {});
    expect(await a.dropSeatsGoneElsewhere([moved, stays, endedThere])).toEqual([moved, endedThere]);
    // Dropped here without a sign-out: no events for it leave a, and b's copy is untouched.
    expect(moved.actor).toBeNull();
    expect(a.seats.byTag(moved.tag)).toBeUndefined();
    expect(a.eventFor(moved, 'seatSettingsChanged', { settings: (await a.call(stays, 'getSeat', {})).settings })).toBeNull();
    expect(onB!.actor).toMatchObject({ name: 'rita' });
    expect(stays.actor).toMatchObject({ name: 'rita' });
    expect((await auditRows(backend.probe, 'session.signout')).map((r) => JSON.parse(r.payload_json).seat)).toEqual([endedThere.tag]);
  });

  it("an administrator on one server lists the centre's seats and ends one another server holds", async () => {
    await addPerson(a, 'ada', ['admin']);
    const ada = a.openSession('loopback');
    await a.call(ada, 'signIn', { name: 'ada', password: TEST_PASSWORD });
    const [alertId] = await a.storePort.write((tx) => seedAlerts(tx, 1));
    const ritaOnB = b.openSession('network', '10.1.0.7', sha256Hex(BROWSER_KEY));
    await b.call(ritaOnB, 'signIn', { name: 'rita', password: TEST_PASSWORD });
    await b.call(ritaOnB, 'claimAlert', { alertId: alertId! });

    const listed = (await a.call(ada, 'listSeats', {})).seats;
    expect(listed.map((s) => [s.person?.name, s.address, s.yours, s.elsewhere ?? false])).toEqual([
      ['ada', null, true, false],
      ['rita', '10.1.0.7', false, true],
    ]);
    // A server that stops vouching for its seats (it died) has them listed no more, until one takes them over.
    clock.advanceSeconds(6 * 60);
    expect((await a.call(ada, 'listSeats', {})).seats.map((s) => s.person?.name)).toEqual(['ada']);
    await b.dropSeatsGoneElsewhere([ritaOnB]);
    expect((await a.call(ada, 'listSeats', {})).seats.map((s) => s.person?.name)).toEqual(['ada', 'rita']);

    expect(await a.call(ada, 'endSeat', { seat: ritaOnB.tag })).toEqual({ ended: true });
    expect(await a.storePort.read((tx) => tx.claims.get(alertId!))).toBeUndefined();
    const [ended] = await auditRows(backend.probe, 'session.signout');
    expect(JSON.parse(ended!.payload_json)).toMatchObject({ seat: ritaOnB.tag, reason: 'ended', person: 'rita' });
    expect(await b.dropSeatsGoneElsewhere([ritaOnB])).toEqual([ritaOnB]);
    expect(await b.dispatch(ritaOnB, 'listAlerts', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await a.dispatch(ada, 'endSeat', { seat: 'no-such-seat' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it("saves the person's activity once a minute, so a take-over keeps the idle lock's clock", async () => {
    await a.call(a.cliSession(), 'setSeatSettings', { idleLockSeconds: 300 });
    const onA = await ritaOnA();
    const signedInUs = clock.nowUs();
    clock.advanceSeconds(90);
    // An active heartbeat is the person's activity (listing alerts is passive: it counts for nothing).
    await a.call(onA, 'heartbeat', { active: true, alertId: null });
    await until(async () => Number((await storedSeats())[0]!.last_activity_us) === signedInUs + 90_000_000);

    // Four minutes later another server takes the seat over: one more minute idle and it locks.
    clock.advanceSeconds(240);
    const onB = await b.takeOverSeat(onA.id, BROWSER_KEY, null);
    expect(await b.call(onB!, 'listAlerts', {})).toMatchObject({ alerts: [] });
    clock.advanceSeconds(301);
    expect(await b.dispatch(onB!, 'listAlerts', {})).toMatchObject({ ok: false, error: { details: { locked: true } } });
    expect((await storedSeats())[0]).toMatchObject({ locked: 1 });
  });
});
