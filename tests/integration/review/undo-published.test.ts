import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore, testSql } from '../../support/test-core.ts';
import { addAgency, CITY, seedAlert } from '../../support/publish-fixtures.ts';
import { addPerson, seatOf } from '../../support/seats.ts';
import { tempDir } from '../../support/temp.ts';

describe('undo until published', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;

  beforeEach(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    await addPerson(core, 'rita', ['reviewer']);
    // One agency whose jurisdiction holds the city; nothing listens at its URL (nothing is sent here: no worker runs).
    await addAgency(core, { name: 'City Police', url: 'http://127.0.0.1:9/cap', at: CITY, half: 0.05 });
  });
  afterEach(async () => {
    await core.close();
    tmp.cleanup();
  });

  it('refuses to undo a decision an agency is to receive; its incident and deliveries stay as they were', async () => {
    const alertId = await seedAlert(core, { at: CITY });
    const rita = await seatOf(core, 'rita');
    await core.call(rita, 'claimAlert', { alertId });
    await core.call(rita, 'decide', { alertId, class: 'gunfire_multiple', rounds: 2, reviewMs: 9000 });
    const incident = (await core.storePort.read((tx) => tx.incidents.byAlert(alertId)))!;
    expect((await core.storePort.read((tx) => tx.incidents.agencies(incident.id))).map((a) => a.name)).toEqual(['City Police']);
    const before = await testSql(core).row('SELECT (SELECT count(*) FROM decisions) d, (SELECT count(*) FROM audit_log) a, (SELECT count(*) FROM claims) c');
    const r = await core.dispatch(rita, 'undoDecision', { alertId });
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/published already: revise it/) } });
    expect(await testSql(core).row('SELECT (SELECT count(*) FROM decisions) d, (SELECT count(*) FROM audit_log) a, (SELECT count(*) FROM claims) c')).toEqual(
      before,
    );
    expect((await core.storePort.read((tx) => tx.alerts.summary(alertId)))!.status).toBe('decided');
  });

  it('lets a decision no agency receives be undone: not gunfire, or gunfire outside every jurisdiction', async () => {
    const rita = await seatOf(core, 'rita');
    const fireworks = await seedAlert(core, { at: CITY });
    await core.call(rita, 'claimAlert', { alertId: fireworks });
    await core.call(rita, 'decide', { alertId: fireworks, class: 'fireworks', reviewMs: 3000 });
    expect(await core.call(rita, 'undoDecision', { alertId: fireworks })).toMatchObject({ undone: { class: 'fireworks' } });

    const far = await seedAlert(core, { at: { lat: CITY.lat + 3, lon: CITY.lon } });
    await core.call(rita, 'claimAlert', { alertId: far });
    await core.call(rita, 'decide', { alertId: far, class: 'gunfire_single', rounds: 1, reviewMs: 3000 });
    expect((await core.storePort.read((tx) => tx.incidents.byAlert(far)))?.state).toBe('unrouted');
    expect(await core.call(rita, 'undoDecision', { alertId: far })).toMatchObject({ undone: { class: 'gunfire_single' }, claim: { seat: rita.tag } });
  });
});
