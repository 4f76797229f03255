import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { qaDraw } from '../../../src/audit/qa/sampling.ts';
import { verifyAudit } from '../../../src/audit/verify.ts';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore, testSql } from '../../support/test-core.ts';
import { BASE_US, FakeClock, importBundle, sessionFor } from '../../support/audit-fixtures.ts';
import { tempDir } from '../../support/temp.ts';

const alice = sessionFor('alice');
const bob = sessionFor('bob');
const carol = sessionFor('carol');
const audrey = sessionFor('audrey', ['auditor']);
const oscar = sessionFor('oscar', ['auditor', 'reviewer']);

describe('QA sampling and the blind second review', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let clock: FakeClock;
  let alertId: number;
  /** What bob's seat and alice's seat were sent of every event, as the transports send them. */
  const events: unknown[] = [];
  const deciderEvents: unknown[] = [];

  beforeEach(async () => {
    tmp = tempDir();
    clock = new FakeClock();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data'), clock });
    core.events.subscribe((event, payload) => {
      const toBob = core.eventFor(bob, event, payload);
      if (toBob !== null) events.push({ event, payload: toBob });
      const toAlice = core.eventFor(alice, event, payload);
      if (toAlice !== null) deciderEvents.push({ event, payload: toAlice });
    });
    await core.call(audrey, 'setAuditSettings', { sampleShare: 1 });
    alertId = await importBundle(core, join(tmp.dir, 'b'), { id: 'Q-1', index: 1 });
    events.length = 0;
    deciderEvents.length = 0;
    clock.advance(20);
    await core.call(alice, 'decide', { alertId, class: 'gunfire_single', rounds: 1, reviewMs: 15_000, notes: 'clear muzzle blast' });
  });
  afterEach(async () => {
    await core.close();
    tmp.cleanup();
  });

  const text = (v: unknown) => JSON.stringify(v);

  it('seals the decision from everyone but its decider and overseers, through every method and event', async () => {
    expect(await core.storePort.read((tx) => tx.qa.sample(alertId))).toMatchObject({ selected: true, state: 'open' });
    // The decision event reached bob's seat without the decision; alice, who decided, keeps her live view.
    expect(events.length).toBeGreaterThan(0);
    expect(text(events)).not.toMatch(/gunfire_single|clear muzzle blast|"decidedBy"/);
    expect(text(deciderEvents)).toMatch(/gunfire_single/);
    // bob sees the alert as decided but not how.
    const list = await core.call(bob, 'listAlerts', { status: 'all' });
    expect(list.alerts.find((a) => a.id === alertId)).toMatchObject({ status: 'decided', decision: null });
    const seen = await core.call(bob, 'getAlert', { id: alertId });
    expect(seen.decisions).toEqual([]);
    expect(seen.decision).toBeNull();
    expect(text(seen)).not.toMatch(/gunfire_single|clear muzzle blast|alice/);
    await expect(core.call(bob, 'getIncidentHistory', { alertId })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(core.call(bob, 'getAuditReport', { alertId })).rejects.toMatchObject({ code: 'forbidden' });
    // The blind view is a separate method whose schema has no decision at all.
    const tasks = await core.call(bob, 'listQaTasks', {});
    expect(tasks.tasks.map((t) => t.alertId)).toEqual([alertId]);
    const blind = await core.call(bob, 'getBlindAlert', { alertId });
    expect(blind).not.toHaveProperty('decisions');
    expect(blind).not.toHaveProperty('decision');
    expect(text(blind)).not.toMatch(/gunfire_single|clear muzzle blast|alice/);
    expect(blind.machine).toMatchObject({ label: 'gunshot' });
    expect(blind.tracks).toHaveLength(4);
    // alice, who decided, sees her decision but may not review it.
    expect((await core.call(alice, 'getAlert', { id: alertId })).decisions).toHaveLength(1);
    expect((await core.call(alice, 'listQaTasks', {})).tasks).toEqual([]);
    await expect(core.call(alice, 'getBlindAlert', { alertId })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(core.call(alice, 'submitQaReview', { alertId, class: 'gunfire_single', reviewMs: 1 })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('records an overseer who opens a sealed decision, who is then no longer blind to it', async () => {
    const before = await core.storePort.read((tx) => tx.audit.count());
    const seen = await core.call(oscar, 'getAlert', { id: alertId });
    expect(seen.decisions).toHaveLength(1);
    expect(await core.storePort.read((tx) => tx.audit.count())).toBe(before + 1);
    expect((await core.storePort.read((tx) => tx.audit.aboutAlert(alertId))).at(-1)).toMatchObject({ action: 'qa.seal_opened', actor: 'oscar' });
    await core.call(oscar, 'getAlert', { id: alertId });
    expect(await core.storePort.read((tx) => tx.audit.count())).toBe(before + 1); // once per person
    // Live events follow: oscar, who looked, gets the alert as it is; audrey, who did not, blind.
    const summary = (await core.call(alice, 'listAlerts', { status: 'all' })).alerts.find((a) => a.id === alertId)!;
    expect(summary.decision).not.toBeNull();
    expect(core.eventFor(oscar, 'alertChanged', { alert: summary })).toEqual({ alert: summary });
    expect(core.eventFor(audrey, 'alertChanged', { alert: summary })).toMatchObject({ alert: { id: alertId, decision: null } });
    expect(await core.storePort.read((tx) => tx.audit.count())).toBe(before + 1); // an event opens no seal
    expect((await core.call(oscar, 'listQaTasks', {})).tasks).toEqual([]);
    await expect(core.call(oscar, 'submitQaReview', { alertId, class: 'gunfire_single', reviewMs: 1 })).rejects.toThrow(/seen the decision/);
  });

  it('keeps a disagreement for an auditor, with all three judgements on record', async () => {
    clock.advance(60);
    const r = await core.call(bob, 'submitQaReview', { alertId, class: 'fireworks', reviewMs: 40_000, notes: 'crackle after the bang' });
    expect(r).toMatchObject({ state: 'disputed', review: { agrees: false, reviewer: 'bob' } });
    // The seal is lifted: bob now sees the first decision.
    expect((await core.call(bob, 'getAlert', { id: alertId })).decisions).toHaveLength(1);
    await expect(core.call(carol, 'submitQaReview', { alertId, class: 'fireworks', reviewMs: 1 })).rejects.toMatchObject({ code: 'conflict' });
    const cases = await core.call(audrey, 'listQaCases', {});
    expect(cases.cases).toHaveLength(1);
    expect(cases.cases[0]).toMatchObject({
      firstDecision: { class: 'gunfire_single', decidedBy: 'alice' },
      review: { class: 'fireworks' },
      adjudication: null,
    });
    // The adjudicator is a third person.
    const aliceAuditor = sessionFor('alice', ['auditor']);
    await expect(core.call(aliceAuditor, 'adjudicateQa', { alertId, class: 'gunfire_single', notes: 'mine' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(core.call(bob, 'adjudicateQa', { alertId, class: 'fireworks', notes: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
    clock.advance(60);
    const adj = await core.call(audrey, 'adjudicateQa', { alertId, class: 'gunfire_single', notes: 'the waveform shows a supersonic crack' });
    expect(adj).toMatchObject({ adjudication: { verdict: 'first', auditor: 'audrey' }, standingDiffers: false });
    await expect(core.call(audrey, 'adjudicateQa', { alertId, class: 'fireworks', notes: 'again' })).rejects.toMatchObject({ code: 'conflict' });
    const history = await core.call(audrey, 'getIncidentHistory', { alertId });
    expect(history.events.map((e) => e.kind)).toEqual(['imported', 'solution', 'decision', 'publish_update', 'qa_sampled', 'qa_reviewed', 'qa_adjudicated']);
    expect(history.events.map((e) => e.actor).slice(2)).toEqual(['alice', 'alice', 'alice', 'bob', 'audrey']);
    expect(history.unrecorded).toEqual([]);
    const all = await core.call(audrey, 'listQaCases', { state: 'adjudicated' });
    expect(all.cases[0]).toMatchObject({ firstDecision: { decidedBy: 'alice' }, review: { reviewer: 'bob' }, adjudication: { auditor: 'audrey' } });
    expect((await verifyAudit(core)).ok).toBe(true);
  });

  it('closes an agreeing review without an auditor', async () => {
    const r = await core.call(bob, 'submitQaReview', { alertId, class: 'gunfire_single', rounds: 1, reviewMs: 30_000 });
    expect(r.state).toBe('agreed');
    expect((await core.call(audrey, 'listQaCases', {})).cases).toEqual([]);
  });

  it('gives a task to one reviewer at a time: opening it holds it from the others until the review is in or 10 minutes pass', async () => {
    const tasks = async (who: typeof bob) => (await core.call(who, 'listQaTasks', {})).tasks.map((t) => t.alertId);
    expect(await tasks(bob)).toEqual([alertId]);
    expect(await tasks(carol)).toEqual([alertId]);
    await core.call(bob, 'getBlindAlert', { alertId });
    // bob still has it in his list (he may come back to it); carol no longer sees it, nor can take it.
    expect(await tasks(bob)).toEqual([alertId]);
    expect(await tasks(carol)).toEqual([]);
    await expect(core.call(carol, 'getBlindAlert', { alertId })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/bob is giving the second review/),
    });
    await expect(core.call(carol, 'submitQaReview', { alertId, class: 'fireworks', reviewMs: 1 })).rejects.toMatchObject({ code: 'conflict' });
    expect(await core.storePort.read((tx) => tx.qa.review(alertId))).toBeUndefined();
    // Opening it again renews bob's hold; left for ten minutes, it goes back to the others.
    clock.advance(9 * 60);
    await core.call(bob, 'getBlindAlert', { alertId });
    clock.advance(9 * 60);
    expect(await tasks(carol)).toEqual([]);
    clock.advance(61);
    expect(await tasks(carol)).toEqual([alertId]);
    await core.call(carol, 'getBlindAlert', { alertId });
    await expect(core.call(bob, 'submitQaReview', { alertId, class: 'gunfire_single', reviewMs: 1 })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/carol/),
    });
    const r = await core.call(carol, 'submitQaReview', { alertId, class: 'gunfire_single', rounds: 1, reviewMs: 30_000 });
    expect(r).toMatchObject({ state: 'agreed', review: { reviewer: 'carol' } });
    expect(await core.storePort.read((tx) => tx.qa.holder(alertId, clock.nowUs()))).toBeUndefined();
  });

  it('refuses QA calls from the wrong roles and on alerts not selected', async () => {
    await expect(core.call(audrey, 'submitQaReview', { alertId, class: 'gunfire_single', reviewMs: 1 })).rejects.toThrow(/needs the role/);
    await expect(core.call(bob, 'adjudicateQa', { alertId, class: 'gunfire_single', notes: 'x' })).rejects.toThrow(/needs the role/);
    await expect(core.call(bob, 'setAuditSettings', { sampleShare: 0 })).rejects.toThrow(/needs the role/);
    await core.call(audrey, 'setAuditSettings', { sampleShare: 0 });
    const other = await importBundle(core, join(tmp.dir, 'b'), { id: 'Q-2', index: 2 });
    await core.call(alice, 'decide', { alertId: other, class: 'fireworks', reviewMs: 1000 });
    expect(await core.storePort.read((tx) => tx.qa.sample(other))).toMatchObject({ selected: false, state: 'not_selected' });
    await expect(core.call(bob, 'getBlindAlert', { alertId: other })).rejects.toMatchObject({ code: 'not_found' });
    // Not sealed: everyone sees its decision.
    expect((await core.call(bob, 'getAlert', { id: other })).decisions).toHaveLength(1);
  });

  it('audits every settings change with from and to', async () => {
    await core.call(audrey, 'setAuditSettings', { sampleShare: 0.25, timeBudgetS: 90 });
    const changes = (await testSql(core).rows("SELECT actor, payload_json FROM audit_log WHERE action = 'settings.changed' ORDER BY seq")) as {
      actor: string;
      payload_json: string;
    }[];
    // Each entry also attests the setting row it changed (the record check of audit verify).
    const payloads = changes.map((c) => {
      const { attested, ...change } = JSON.parse(c.payload_json) as { attested: { table: string; key: string }[] };
      expect(attested.map((a) => `${a.table}:${a.key}`)).toContain(`settings:${(change as { key: string }).key}`);
      return [c.actor, change];
    });
    expect(payloads).toContainEqual(['audrey', { key: 'audit.qaSampleShare', from: 0.1, to: 1 }]);
    expect(payloads).toContainEqual(['audrey', { key: 'audit.qaSampleShare', from: 1, to: 0.25 }]);
    expect(payloads).toContainEqual(['audrey', { key: 'audit.timeBudgetS', from: 60, to: 90 }]);
    const s = await core.call(bob, 'getAuditSettings', {});
    expect(s).toMatchObject({ sampleShare: 0.25, timeBudgetS: 90 });
    expect(text(s)).not.toContain((await core.storePort.read((tx) => tx.settings.get<string>('audit.qaSamplingKey')))!);
    const before = s.samplingKeyId;
    const rotated = await core.call(audrey, 'setAuditSettings', { rotateSamplingKey: true });
    expect(rotated.samplingKeyId).not.toBe(before);
    await expect(core.call(audrey, 'setAuditSettings', {})).rejects.toThrow(/nothing to change/);
    await expect(core.call(audrey, 'setAuditSettings', { sampleShare: 1.5 })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('the sampling draw', () => {
  const key = 'ab'.repeat(32);
  it('is deterministic and depends on the key', () => {
    expect(qaDraw(key, 42)).toBe(qaDraw(key, 42));
    expect(qaDraw(key, 42)).not.toBe(qaDraw('cd'.repeat(32), 42));
  });
  it('selects the configured share without bias (20 000 alerts)', () => {
    const draws = Array.from({ length: 20_000 }, (_, i) => qaDraw(key, i + 1));
    const selected = draws.filter((d) => d < 0.1).length;
    // Binomial(20000, 0.1): mean 2000, sd 42.4; 4 sd either side.
    expect(Math.abs(selected - 2000)).toBeLessThan(170);
    // Uniform over ten bins: chi-square with 9 degrees of freedom stays under 27.9 (p = 0.001).
    const bins = new Array(10).fill(0);
    for (const d of draws) bins[Math.floor(d * 10)]++;
    const chi = bins.reduce((s, c) => s + (c - 2000) ** 2 / 2000, 0);
    expect(chi).toBeLessThan(27.9);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });
  it('logs every draw of a decided alert, selected or not', async () => {
    const tmp = tempDir();
    const clock = new FakeClock(BASE_US);
    const core = await openTestCore({ dataDir: join(tmp.dir, 'data'), clock });
    try {
      for (let i = 0; i < 30; i++) {
        const id = await importBundle(core, join(tmp.dir, 'b'), { id: `D-${i}`, index: i });
        await core.call(alice, 'decide', { alertId: id, class: 'fireworks', reviewMs: 1000 });
      }
      const sampled = (await testSql(core).column("SELECT payload_json FROM audit_log WHERE action = 'qa.sampled'")) as string[];
      expect(sampled).toHaveLength(30);
      const key = (await core.storePort.read((tx) => tx.settings.get<string>('audit.qaSamplingKey')))!;
      for (const p of sampled.map((x) => JSON.parse(x) as { alertId: number; draw: number; selected: boolean; share: number })) {
        expect(p.draw).toBe(qaDraw(key, p.alertId));
        expect(p.selected).toBe(p.draw < 0.1);
        expect(p.share).toBe(0.1);
      }
    } finally {
      await core.close();
      tmp.cleanup();
    }
  });
});
