import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutcomeVersion } from '../../../src/contract/index.ts';
import { checkFindings } from '../../../src/outcomes/findings.ts';
import { linkState, submitThroughLink } from '../../../src/outcomes/links.ts';
import { auditRows, openBackendCore, portTableCounts, type BackendCore } from '../../support/backend-core.ts';
import { backendUnavailable, testBackend } from '../../support/database.ts';
import { seedPublishable } from '../../support/publishable.ts';
import { tempDir } from '../../support/temp.ts';

const REPORT = { ...checkFindings({ findings: ['shell_casings'], arrests: 0, firearms: 0 }), notes: 'two casings by the bus stop', unit: 'car 12' };

/**
 * Officers' one-use links on the store port, on the backend the vitest project runs: made,
 * opened and used through the port's database, so any server of a centre serves the link another
 * made. tests/integration/outcomes/report-back.test.ts covers the officer's page over HTTP on SQLite.
 */
describe.skipIf(backendUnavailable("officers' links on the port"))(`officers' links on the store port (${testBackend()})`, () => {
  let tmp: ReturnType<typeof tempDir>;
  let t: BackendCore;
  let incidentId: number;

  beforeEach(async () => {
    tmp = tempDir();
    t = await openBackendCore(join(tmp.dir, 'data'));
    const { alertIds } = await t.core.storePort.write((tx) => seedPublishable(tx, 1));
    await t.core.call(t.core.cliSession(), 'decide', { alertId: alertIds[0]!, class: 'gunfire_single', rounds: 1, reviewMs: 3000 });
    incidentId = (await t.core.storePort.read((tx) => tx.incidents.byAlert(alertIds[0]!)))!.id;
  });
  afterEach(async () => {
    await t.close();
    tmp.cleanup();
  });

  it('makes a link, records the report it brings once, and shows it with the link used', async () => {
    const heard: OutcomeVersion[] = [];
    t.core.events.subscribe((e, p) => e === 'outcomeReported' && heard.push((p as { outcome: OutcomeVersion }).outcome));
    const link = await t.core.call(t.core.cliSession(), 'createOutcomeLink', { incidentId });
    expect(link.agency.name).toBe('City Police');
    expect(await linkState(t.core, link.token)).toMatchObject({ state: 'open', link: { incidentId } });

    const outcome = await submitThroughLink(t.core, link.token, REPORT);
    expect(outcome).toMatchObject({ incidentId, version: 1, channel: 'link', findings: ['shell_casings'], unit: 'car 12' });
    expect(heard.map((o) => o.id)).toEqual([outcome.id]);
    expect((await linkState(t.core, link.token)).state).toBe('used');
    const before = await portTableCounts(t.probe);
    await expect(submitThroughLink(t.core, link.token, REPORT)).rejects.toThrow(/this link is used/);
    expect(await portTableCounts(t.probe)).toEqual(before);

    const listed = await t.core.call(t.core.cliSession(), 'listOutcomes', { incidentId });
    expect(listed.outcomes.map((o) => o.id)).toEqual([outcome.id]);
    expect(listed.links).toEqual([expect.objectContaining({ id: link.linkId, usedUs: outcome.receivedUs })]);
    expect(await auditRows(t.probe, 'outcome.link_created')).toHaveLength(1);
    expect(await auditRows(t.probe, 'outcome.reported')).toHaveLength(1);
  });

  it('a new link for the same incident and agency replaces the live one; unknown tokens and incidents are refused', async () => {
    const old = await t.core.call(t.core.cliSession(), 'createOutcomeLink', { incidentId });
    const fresh = await t.core.call(t.core.cliSession(), 'createOutcomeLink', { incidentId });
    expect((await linkState(t.core, old.token)).state).toBe('replaced');
    expect((await linkState(t.core, fresh.token)).state).toBe('open');
    expect((await linkState(t.core, 'A'.repeat(20))).state).toBe('unknown');
    await expect(submitThroughLink(t.core, old.token, REPORT)).rejects.toThrow(/replaced/);
    expect(await t.core.dispatch(t.core.cliSession(), 'createOutcomeLink', { incidentId: 9999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await t.core.dispatch(t.core.cliSession(), 'listOutcomes', { incidentId: 9999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
