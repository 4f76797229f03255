import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore, testSql, testDatabaseUrl } from '../../support/test-core.ts';
import { ManualClock } from '../../support/clock.ts';
import { NODE, REPO } from '../../support/host.ts';
import { addPerson, importSmallAlerts, seatOf, TEST_PASSWORD } from '../../support/seats.ts';
import { tempDir } from '../../support/temp.ts';

const S = 1_000_000;

describe('claims: one alert, one reviewer', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let clock: ManualClock;

  beforeEach(async () => {
    tmp = tempDir();
    clock = new ManualClock();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data'), clock });
    await addPerson(core, 'rita', ['reviewer']);
    await addPerson(core, 'ruth', ['reviewer']);
    await addPerson(core, 'ada', ['admin']);
    await addPerson(core, 'otto', ['auditor']);
  });
  afterEach(async () => {
    await core.close();
    tmp.cleanup();
  });

  it('nobody else can open or decide an alert another reviewer holds; deciding ends the claim', async () => {
    const [a] = await importSmallAlerts(core, tmp.dir, [clock.nowUs()]);
    const rita = await seatOf(core, 'rita');
    const ruth = await seatOf(core, 'ruth');
    const claim = await core.call(rita, 'claimAlert', { alertId: a! });
    expect(claim).toMatchObject({ alertId: a, by: 'rita', seat: rita.tag, expiresUs: clock.nowUs() + 30 * S });
    expect(await core.dispatch(ruth, 'claimAlert', { alertId: a! })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: `rita is reviewing alert ${a}` },
    });
    expect(await core.dispatch(ruth, 'decide', { alertId: a!, class: 'fireworks', reviewMs: 5 })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await core.call(ruth, 'claimNext', {})).claim).toBeNull();
    expect((await core.call(ruth, 'getQueue', {})).alerts[0]!.claim).toMatchObject({ by: 'rita' });
    // An auditor may look but not review.
    const otto = await seatOf(core, 'otto');
    expect(await core.dispatch(otto, 'claimAlert', { alertId: a! })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const d = await core.call(rita, 'decide', { alertId: a!, class: 'gunfire_single', rounds: 1, reviewMs: 4200 });
    expect(d).toMatchObject({ decidedBy: 'rita', reviewMs: 4200 });
    expect(await core.storePort.read((tx) => tx.claims.get(a!))).toBeUndefined();
    expect(await core.dispatch(rita, 'claimAlert', { alertId: a! })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/decided already/) },
    });
  });

  it('a decision needs the claim: without one, or after it expired, it is refused', async () => {
    const [a] = await importSmallAlerts(core, tmp.dir, [clock.nowUs()]);
    const rita = await seatOf(core, 'rita');
    expect(await core.dispatch(rita, 'decide', { alertId: a!, class: 'fireworks', reviewMs: 1 })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/open alert \d+ for review first/) },
    });
    await core.call(rita, 'claimAlert', { alertId: a! });
    clock.advanceSeconds(31);
    expect(await core.dispatch(rita, 'decide', { alertId: a!, class: 'fireworks', reviewMs: 1 })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await core.storePort.read((tx) => tx.alerts.summary(a!)))!.status).toBe('pending');
  });

  it('the lease is renewed by the heartbeat while the reviewer works, and lapses when the seat goes quiet', async () => {
    const [a] = await importSmallAlerts(core, tmp.dir, [clock.nowUs()]);
    const rita = await seatOf(core, 'rita');
    const ruth = await seatOf(core, 'ruth');
    await core.call(rita, 'claimAlert', { alertId: a! });
    for (let i = 0; i < 6; i++) {
      clock.advanceSeconds(20);
      expect((await core.call(rita, 'heartbeat', { active: true, alertId: a! })).claim).toMatchObject({ expiresUs: clock.nowUs() + 30 * S });
      expect(await core.dispatch(ruth, 'claimAlert', { alertId: a! })).toMatchObject({ ok: false });
    }
    clock.advanceSeconds(31); // the window was closed: no heartbeat
    expect(await core.call(ruth, 'claimAlert', { alertId: a! })).toMatchObject({ by: 'ruth' });
    expect((await core.call(rita, 'heartbeat', { active: true, alertId: a! })).claim).toBeNull();
  });

  it('the same person may move their claim to another window of theirs; opening another alert releases the first', async () => {
    const [a, b] = await importSmallAlerts(core, tmp.dir, [clock.nowUs(), clock.nowUs() + S]);
    const one = await seatOf(core, 'rita');
    const two = await seatOf(core, 'rita');
    await core.call(one, 'claimAlert', { alertId: a! });
    expect(await core.call(two, 'claimAlert', { alertId: a! })).toMatchObject({ seat: two.tag });
    expect(await core.dispatch(one, 'decide', { alertId: a!, class: 'fireworks', reviewMs: 1 })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await core.call(two, 'claimAlert', { alertId: b! });
    expect(await core.storePort.read((tx) => tx.claims.get(a!))).toBeUndefined();
    expect((await core.storePort.read((tx) => tx.claims.ofSeat(two.tag))).map((c) => c.alertId)).toEqual([b]);
  });

  it('"next" takes the most urgent free alert: within the time budget oldest first, overdue ones after; the order is a setting', async () => {
    const now = clock.nowUs();
    // Detected 200 s, 50 s, 30 s and 10 s ago; the budget is 60 s, so the first is overdue.
    const [late, a50, a30, a10] = await importSmallAlerts(core, tmp.dir, [now - 200 * S, now - 50 * S, now - 30 * S, now - 10 * S]);
    const rita = await seatOf(core, 'rita');
    const ruth = await seatOf(core, 'ruth');
    const admin = await seatOf(core, 'ada');
    await core.call(admin, 'setSeatSettings', { queueOrder: 'within_budget_oldest_first' });
    expect((await core.call(rita, 'getQueue', {})).alerts.map((x) => x.id)).toEqual([a50, a30, a10, late]);
    expect((await core.call(rita, 'claimNext', {})).claim!.alertId).toBe(a50);
    expect((await core.call(ruth, 'claimNext', {})).claim!.alertId).toBe(a30);
    // Leaving one for the next: "skip" keeps the one being left from coming straight back.
    expect((await core.call(rita, 'claimNext', { skip: [a50!] })).claim!.alertId).toBe(a10);
    expect(await core.storePort.read((tx) => tx.claims.get(a50!))).toBeUndefined();

    await core.call(admin, 'setSeatSettings', { queueOrder: 'oldest_first' });
    expect((await core.call(rita, 'claimNext', { skip: [a10!] })).claim!.alertId).toBe(late);
    await core.call(admin, 'setSeatSettings', { queueOrder: 'newest_first' });
    expect((await core.call(rita, 'claimNext', { skip: [late!] })).claim!.alertId).toBe(a10);
    // Nothing free: the seat keeps what it has.
    await core.call(ruth, 'claimAlert', { alertId: a50! }); // ruth gives a30 back, takes a50
    await core.call(admin, 'claimAlert', { alertId: a30! });
    expect((await core.call(rita, 'claimNext', { skip: [a10!, late!] })).claim).toBeNull();
    expect((await core.storePort.read((tx) => tx.claims.ofSeat(rita.tag))).map((c) => c.alertId)).toEqual([a10]);
  });

  it('"next" by default takes a late gunshot before fresh fireworks, and the list shows the order claimNext takes', async () => {
    const now = clock.nowUs();
    const labelled = async (us: number, label: string, i: number) =>
      (
        await importSmallAlerts(core, join(tmp.dir, `l${i}`), [us], {
          id: `L-${i}`,
          mutate: (j) => {
            j.machine = { label, confidence: 0.8, rounds: 1 };
          },
        })
      )[0]!;
    const fireworksFresh = await labelled(now - 5 * S, 'fireworks', 1);
    const gunshotLate = await labelled(now - 240 * S, 'gunshot', 2);
    const fireworksOld = await labelled(now - 3 * 3600 * S, 'fireworks', 3);
    const probable = await labelled(now - 2 * S, 'probable_gunshot', 4);
    const rita = await seatOf(core, 'rita');
    const admin = await seatOf(core, 'ada');
    // Default head start 2 h: the fireworks that waited 3 h comes first (waits are bounded), then the late gunshot.
    const expected = [fireworksOld, gunshotLate, probable, fireworksFresh];
    expect((await core.call(rita, 'getQueue', {})).alerts.map((x) => x.id)).toEqual(expected);
    const taken: number[] = [];
    for (let i = 0; i < expected.length; i++) taken.push((await core.call(rita, 'claimNext', { skip: taken })).claim!.alertId);
    expect(taken).toEqual(expected);
    // No head start: first come, first served, in the list and in claimNext alike.
    await core.call(admin, 'setSeatSettings', { gunfireHeadStartSeconds: 0 });
    await core.call(rita, 'releaseClaim', { alertId: taken.at(-1)! });
    expect((await core.call(rita, 'getQueue', {})).alerts.map((x) => x.id)).toEqual([fireworksOld, gunshotLate, fireworksFresh, probable]);
    expect((await core.call(rita, 'claimNext', {})).claim!.alertId).toBe(fireworksOld);
  });

  it("undo returns the alert to its decider's hands; others cannot undo it, an administrator can", async () => {
    const [a] = await importSmallAlerts(core, tmp.dir, [clock.nowUs()]);
    const rita = await seatOf(core, 'rita');
    const ruth = await seatOf(core, 'ruth');
    const admin = await seatOf(core, 'ada');
    await core.call(rita, 'claimAlert', { alertId: a! });
    await core.call(rita, 'decide', {
      alertId: a!,
      class: 'gunfire_multiple',
      rounds: 3,
      flags: { fullyAutomatic: true, multipleShooters: false },
      reviewMs: 9000,
    });
    expect(await core.dispatch(ruth, 'undoDecision', { alertId: a! })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    clock.advanceSeconds(2);
    const { undone, claim } = await core.call(rita, 'undoDecision', { alertId: a! });
    expect(undone).toMatchObject({ decidedBy: 'rita', undoneUs: clock.nowUs(), rounds: 3 });
    expect(claim).toMatchObject({ seat: rita.tag });
    expect(await core.storePort.read((tx) => tx.alerts.summary(a!))).toMatchObject({ status: 'pending', decision: null });
    expect(await core.dispatch(rita, 'undoDecision', { alertId: a! })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await core.call(rita, 'decide', { alertId: a!, class: 'gunfire_single', rounds: 1, reviewMs: 12000 });
    await core.call(admin, 'undoDecision', { alertId: a! });
    const versions = (await core.storePort.read((tx) => tx.alerts.detail(a!)))!.decisions;
    expect(versions.map((d) => [d.version, d.class, d.undoneUs !== null])).toEqual([
      [1, 'gunfire_multiple', true],
      [2, 'gunfire_single', true],
    ]);
    const actions = await testSql(core).column("SELECT actor FROM audit_log WHERE action = 'decision.undone' ORDER BY seq");
    expect(actions).toEqual(['rita', 'ada']);
  });

  it('the class, rounds and flags must agree', async () => {
    const [a] = await importSmallAlerts(core, tmp.dir, [clock.nowUs()]);
    const rita = await seatOf(core, 'rita');
    await core.call(rita, 'claimAlert', { alertId: a! });
    const no = { ok: false, error: { code: 'invalid_input' } };
    expect(await core.dispatch(rita, 'decide', { alertId: a!, class: 'gunfire_single', rounds: 3, reviewMs: 1 })).toMatchObject(no);
    expect(await core.dispatch(rita, 'decide', { alertId: a!, class: 'gunfire_multiple', rounds: 1, reviewMs: 1 })).toMatchObject(no);
    expect(
      await core.dispatch(rita, 'decide', { alertId: a!, class: 'fireworks', flags: { fullyAutomatic: false, multipleShooters: true }, reviewMs: 1 }),
    ).toMatchObject(no);
    expect(await core.dispatch(rita, 'decide', { alertId: a!, class: 'other', reviewMs: 1 })).toMatchObject(no);
    expect((await core.storePort.read((tx) => tx.alerts.summary(a!)))!.status).toBe('pending');
    expect(await core.storePort.read((tx) => tx.claims.get(a!))).toMatchObject({ seat: rita.tag });
    expect(
      await core.call(rita, 'decide', {
        alertId: a!,
        class: 'probable_gunfire',
        rounds: 2,
        flags: { fullyAutomatic: false, multipleShooters: true },
        reviewMs: 1,
      }),
    ).toMatchObject({ class: 'probable_gunfire' });
  });

  it('two processes on one store, each pulling "next" as fast as they can, never receive the same alert', async () => {
    const now = clock.nowUs();
    const ids = await importSmallAlerts(
      core,
      tmp.dir,
      Array.from({ length: 60 }, (_, i) => now - i * S),
    );
    await core.close();
    const run = promisify(execFile);
    const database = await testDatabaseUrl(join(tmp.dir, 'data'));
    const worker = (name: string) =>
      run(
        NODE,
        ['--import', 'tsx', join(REPO, 'tests/support/claim-worker.ts'), join(tmp.dir, 'data'), name, TEST_PASSWORD, '40', ...(database ? [database] : [])],
        {
          cwd: REPO,
        },
      );
    const [r1, r2] = await Promise.all([worker('rita'), worker('ruth')]);
    const got1 = JSON.parse(r1.stdout) as number[];
    const got2 = JSON.parse(r2.stdout) as number[];
    expect(got1.length + got2.length).toBe(60);
    expect(got1.filter((id) => got2.includes(id))).toEqual([]);
    expect([...got1, ...got2].sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x - y));
    core = await openTestCore({ dataDir: join(tmp.dir, 'data'), clock });
    const deciders = (await testSql(core).rows('SELECT alert_id, decided_by FROM decisions')) as { alert_id: number; decided_by: string }[];
    expect(deciders).toHaveLength(60);
    for (const d of deciders) expect(d.decided_by).toBe(got1.includes(d.alert_id) ? 'rita' : 'ruth');
  }, 60_000);

  it('seats claiming through the store port and deciding through the synchronous store at the same time never collide', async () => {
    const ids = await importSmallAlerts(
      core,
      tmp.dir,
      Array.from({ length: 12 }, (_, i) => clock.nowUs() - (12 - i) * S),
    );
    const seats = [await seatOf(core, 'rita'), await seatOf(core, 'ruth')];
    // Each seat claims the next alert and decides it, until the queue is empty; the two run interleaved in one process.
    const work = async (seat: (typeof seats)[number]) => {
      const decided: number[] = [];
      for (;;) {
        const { claim } = await core.call(seat, 'claimNext', {});
        if (!claim) return decided;
        await core.call(seat, 'heartbeat', { active: true, alertId: claim.alertId });
        await core.call(seat, 'decide', { alertId: claim.alertId, class: 'fireworks', reviewMs: 5 });
        decided.push(claim.alertId);
      }
    };
    const decided = (await Promise.all(seats.map(work))).flat();
    expect(decided.sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect((await core.call(seats[0]!, 'getQueue', { limit: 50 })).alerts).toEqual([]);
  });
});
