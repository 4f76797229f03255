import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore } from '../../support/test-core.ts';
import { ManualClock } from '../../support/clock.ts';
import { addPerson, importSmallAlerts, seatOf } from '../../support/seats.ts';
import { tempDir } from '../../support/temp.ts';

/** The floor a supervisor watches, from the core: each signed-in seat's state, the queue and the decisions within budget. */
describe('supervision', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let clock: ManualClock;
  beforeEach(async () => {
    tmp = tempDir();
    clock = new ManualClock();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data'), clock });
  });
  afterEach(async () => {
    await core.close();
    tmp.cleanup();
  });

  it('shows who reviews which alert, who is idle or locked, what waits past its budget, and the decisions made within it', async () => {
    await addPerson(core, 'ada', ['admin']);
    await addPerson(core, 'rita', ['reviewer']);
    await addPerson(core, 'rob', ['reviewer']);
    await addPerson(core, 'lena', ['reviewer']);
    const now = clock.nowUs();
    // Three alerts: two detected 2 minutes ago (past a 60 s budget), one just now.
    const [first, second] = await importSmallAlerts(core, join(tmp.dir, 'in'), [now - 120_000_000, now - 110_000_000, now - 1_000_000]);
    const ada = await seatOf(core, 'ada');
    const rita = await seatOf(core, 'rita');
    const rob = await seatOf(core, 'rob');
    const lena = await seatOf(core, 'lena');
    await core.call(rita, 'claimAlert', { alertId: first! });
    await core.call(lena, 'lockSeat', {});
    await core.call(rob, 'claimAlert', { alertId: second! });
    clock.advanceSeconds(5);
    await core.call(rob, 'decide', { alertId: second!, class: 'fireworks', notes: '', reviewMs: 5000 });

    // A reviewer does not see the floor.
    expect(await core.dispatch(rita, 'getSupervision', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const floor = await core.call(ada, 'getSupervision', {});
    expect(floor.queue).toEqual({ pending: 2, pastDeadline: 1, oldestWaitS: expect.closeTo(125, 3) });
    const state = Object.fromEntries(floor.seats.map((s) => [s.person.name, [s.state, s.alertId]]));
    expect(state).toEqual({ ada: ['idle', null], rita: ['reviewing', first], rob: ['idle', null], lena: ['locked', null] });
    // Rob decided 115 s after detection: late for a 60 s budget.
    expect(floor.hours.reduce((n, h) => n + h.decisions, 0)).toBe(1);
    expect(floor.hours.reduce((n, h) => n + h.withinBudget, 0)).toBe(0);
  });
});
