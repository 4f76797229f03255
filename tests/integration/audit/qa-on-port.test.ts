import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import type { Session } from '../../../src/kernel/session.ts';
import { auditRows, openBackendCore, portTableCounts, type BackendCore } from '../../support/backend-core.ts';
import { ManualClock } from '../../support/clock.ts';
import { backendUnavailable, testBackend } from '../../support/database.ts';
import { seedPublishable } from '../../support/publishable.ts';
import { addPerson, seatOf } from '../../support/seats.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * The blind second review and its adjudication on the store port: what a centre on PostgreSQL
 * runs, the same as a workstation on SQLite. rita decides; rolf and ruth are the other reviewers;
 * audrey and otto are auditors.
 */
describe.skipIf(backendUnavailable('QA on the port'))(`QA reviews on the store port (${testBackend()})`, () => {
  let tmp: ReturnType<typeof tempDir>;
  let backend: BackendCore;
  let core: Core;
  let clock: ManualClock;
  let seats: Record<'rita' | 'rolf' | 'ruth' | 'audrey' | 'otto', Session>;
  let alertId: number;

  beforeEach(async () => {
    tmp = tempDir();
    clock = new ManualClock();
    backend = await openBackendCore(join(tmp.dir, 'data'), { clock });
    core = backend.core;
    for (const name of ['rita', 'rolf', 'ruth'] as const) await addPerson(core, name, ['reviewer']);
    for (const name of ['audrey', 'otto'] as const) await addPerson(core, name, ['auditor']);
    seats = {
      rita: await seatOf(core, 'rita'),
      rolf: await seatOf(core, 'rolf'),
      ruth: await seatOf(core, 'ruth'),
      audrey: await seatOf(core, 'audrey'),
      otto: await seatOf(core, 'otto'),
    };
    // Every decision drawn, so the one below is sealed until its blind review is in.
    await core.call(seats.audrey, 'setAuditSettings', { sampleShare: 1 });
    alertId = (await core.storePort.write((tx) => seedPublishable(tx, 1))).alertIds[0]!;
    await core.call(seats.rita, 'claimAlert', { alertId });
    clock.advanceSeconds(10);
    await core.call(seats.rita, 'decide', { alertId, class: 'gunfire_single', rounds: 1, reviewMs: 8000 });
  });
  afterEach(async () => {
    await backend.close();
    tmp.cleanup();
  });

  it('offers the task to the other reviewers, not the decider, and holds it for the first to open it', async () => {
    expect((await core.call(seats.rita, 'listQaTasks', {})).tasks).toEqual([]);
    expect((await core.call(seats.rolf, 'listQaTasks', {})).tasks.map((t) => t.alertId)).toEqual([alertId]);

    const blind = await core.call(seats.rolf, 'getBlindAlert', { alertId });
    expect(blind.id).toBe(alertId);
    expect(blind).not.toHaveProperty('decisions');
    expect(blind).not.toHaveProperty('decision');
    expect(blind.solutions.every((s) => s.origin === 'machine')).toBe(true);
    // Held by rolf: ruth is neither offered it nor let in.
    expect((await core.call(seats.ruth, 'listQaTasks', {})).tasks).toEqual([]);
    await expect(core.call(seats.ruth, 'getBlindAlert', { alertId })).rejects.toMatchObject({ code: 'conflict' });
    // Ten minutes on, the hold lapses and ruth may take it.
    clock.advanceSeconds(601);
    expect((await core.call(seats.ruth, 'listQaTasks', {})).tasks.map((t) => t.alertId)).toEqual([alertId]);
  });

  it('refuses the decider and a second review before writing anything', async () => {
    const before = await portTableCounts(backend.probe);
    await expect(core.call(seats.rita, 'getBlindAlert', { alertId })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      core.call(seats.rita, 'submitQaReview', {
        alertId,
        class: 'fireworks',
        rounds: null,
        flags: { fullyAutomatic: false, multipleShooters: false },
        notes: '',
        reviewMs: 1000,
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(await portTableCounts(backend.probe)).toEqual(before);

    const review = { class: 'gunfire_single', rounds: 1, flags: { fullyAutomatic: false, multipleShooters: false }, notes: '', reviewMs: 5000 } as const;
    expect(await core.call(seats.rolf, 'submitQaReview', { alertId, ...review })).toMatchObject({ state: 'agreed' });
    const after = await portTableCounts(backend.probe);
    await expect(core.call(seats.ruth, 'submitQaReview', { alertId, ...review })).rejects.toMatchObject({ code: 'conflict' });
    expect(await portTableCounts(backend.probe)).toEqual(after);
    expect(await auditRows(backend.probe, 'qa.reviewed')).toHaveLength(1);
  });

  it('takes a differing review to a dispute that a third person adjudicates', async () => {
    await core.call(seats.rolf, 'getBlindAlert', { alertId });
    const submitted = await core.call(seats.rolf, 'submitQaReview', {
      alertId,
      class: 'fireworks',
      rounds: null,
      flags: { fullyAutomatic: false, multipleShooters: false },
      notes: 'a crackle after the bang',
      reviewMs: 6000,
    });
    expect(submitted).toMatchObject({ state: 'disputed', review: { reviewer: 'rolf', class: 'fireworks', agrees: false } });

    const cases = (await core.call(seats.audrey, 'listQaCases', { state: 'disputed', limit: 10 })).cases;
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      sample: { alertId },
      firstDecision: { decidedBy: 'rita', class: 'gunfire_single' },
      review: { reviewer: 'rolf' },
      adjudication: null,
    });

    const adjudged = await core.call(seats.otto, 'adjudicateQa', { alertId, class: 'fireworks', rounds: null, notes: 'the crackle is a fountain' });
    expect(adjudged).toMatchObject({ adjudication: { auditor: 'otto', verdict: 'second' }, standingDiffers: true });
    await expect(core.call(seats.audrey, 'adjudicateQa', { alertId, class: 'fireworks', rounds: null, notes: 'a second look' })).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(await auditRows(backend.probe, 'qa.adjudicated')).toHaveLength(1);
    expect((await core.call(seats.audrey, 'listQaCases', { state: 'adjudicated', limit: 10 })).cases[0]).toMatchObject({ adjudication: { auditor: 'otto' } });
  });
});
