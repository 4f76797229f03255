import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statsCsv } from '../../../src/audit/stats/csv.ts';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore } from '../../support/test-core.ts';
import type { AuditStats, DecisionClass } from '../../../src/contract/index.ts';
import { BASE_US, FakeClock, importBundle, sessionFor } from '../../support/audit-fixtures.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * Ten alerts with known judgements. alice decides 1-5, bob 6-10; bob gives the blind review of
 * 1-5, carol of 6-10. Every figure below is worked out by hand in the comments.
 *
 *  #  machine label     first decision     blind review       review s  detection->decision s
 *  1  gunshot           gunfire_single     gunfire_single       5        20
 *  2  gunshot           gunfire_single     gunfire_single      12        30
 *  3  gunshot           gunfire_single     gunfire_multiple    25        59
 *  4  gunshot           gunfire_multiple   gunfire_multiple    30        60  (on the budget counts as within)
 *  5  fireworks         fireworks          fireworks           44        61
 *  6  gunshot           fireworks          firecracker         59        45
 *  7  firework          fireworks          fireworks           61        90
 *  8  gunshot           vehicle_backfire   vehicle_backfire    95        10
 *  9  Unknown Impulse   gunfire_multiple   fireworks          130       200  (later undone by erin)
 * 10  gunshot           probable_gunfire   gunfire_single     400        50
 */
const ROWS: [string, DecisionClass, DecisionClass, number, number][] = [
  ['gunshot', 'gunfire_single', 'gunfire_single', 5, 20],
  ['gunshot', 'gunfire_single', 'gunfire_single', 12, 30],
  ['gunshot', 'gunfire_single', 'gunfire_multiple', 25, 59],
  ['gunshot', 'gunfire_multiple', 'gunfire_multiple', 30, 60],
  ['fireworks', 'fireworks', 'fireworks', 44, 61],
  ['gunshot', 'fireworks', 'firecracker', 59, 45],
  ['firework', 'fireworks', 'fireworks', 61, 90],
  ['gunshot', 'vehicle_backfire', 'vehicle_backfire', 95, 10],
  ['Unknown Impulse', 'gunfire_multiple', 'fireworks', 130, 200],
  ['gunshot', 'probable_gunfire', 'gunfire_single', 400, 50],
];
const HOUR = 3_600_000_000;

describe('audit statistics against hand-computed values', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let stats: AuditStats;
  const ids: number[] = [];

  beforeAll(async () => {
    tmp = tempDir();
    const clock = new FakeClock(BASE_US);
    core = await openTestCore({ dataDir: join(tmp.dir, 'data'), clock });
    await core.call(sessionFor('audrey', ['auditor']), 'setAuditSettings', { sampleShare: 1 });
    for (const [i, [label, first, , reviewS, delayS]] of ROWS.entries()) {
      const detectedUs = BASE_US + (i + 1) * HOUR;
      clock.us = detectedUs + 1_000_000;
      const id = await importBundle(core, join(tmp.dir, 'b'), { id: `K-${i + 1}`, index: i, detectedUs, machineLabel: label });
      ids.push(id);
      clock.us = detectedUs + delayS * 1_000_000;
      await core.call(sessionFor(i < 5 ? 'alice' : 'bob'), 'decide', {
        alertId: id,
        class: first,
        rounds: first === 'gunfire_multiple' ? 2 : first.startsWith('gunfire') ? 1 : null,
        notes: '',
        reviewMs: reviewS * 1000,
      });
    }
    for (const [i, [, , second]] of ROWS.entries()) {
      clock.advance(10);
      await core.call(sessionFor(i < 5 ? 'bob' : 'carol'), 'submitQaReview', { alertId: ids[i]!, class: second, reviewMs: 20_000 });
    }
    clock.advance(10);
    await core.call(sessionFor('audrey', ['auditor']), 'adjudicateQa', { alertId: ids[2]!, class: 'gunfire_single', notes: 'one report in the audio' });
    // Publishing (another domain) is simulated the way it writes: an entry naming the alert, then
    // a revision (publish's reviseDecision) and an undo (the review seat), both after publication.
    await core.storePort.write(async (tx) => {
      await tx.audit.append({ atUs: clock.advance(10), actor: 'system', action: 'publish.sent', entity: `alert:${ids[0]}`, payload: { alertId: ids[0] } });
      await tx.audit.append({ atUs: clock.advance(10), actor: 'system', action: 'incident.published', entity: 'incident:1', payload: { alertId: ids[8] } });
      const prev = (await tx.auditReads.decisionsOf(ids[0]!))[0]!;
      const d = await tx.decisions.insert({
        alertId: ids[0]!,
        class: 'gunfire_multiple',
        rounds: 2,
        flags: prev.flags,
        notes: 'second shot heard',
        decidedBy: 'dave',
        decidedUs: clock.advance(10),
        reviewMs: 0,
      });
      await tx.audit.append({
        atUs: d.decidedUs,
        actor: 'dave',
        action: 'decision.revised',
        entity: `alert:${ids[0]}`,
        payload: { previousDecisionId: prev.id, decision: d },
      });
      const nine = (await tx.auditReads.decisionsOf(ids[8]!))[0]!;
      const at = clock.advance(10);
      await tx.decisions.undo(nine.id, ids[8]!, at);
      await tx.audit.append({ atUs: at, actor: 'erin', action: 'decision.undone', entity: `alert:${ids[8]}`, payload: { decisionId: nine.id, undoneUs: at } });
    });
    stats = await core.call(sessionFor('audrey', ['auditor']), 'getAuditStats', { fromUs: BASE_US, toUs: BASE_US + 11 * HOUR });
  }, 60_000);
  afterAll(async () => {
    await core.close();
    tmp.cleanup();
  });

  it('counts the period', () => {
    expect(stats.alerts).toBe(10);
    expect(stats.decided).toBe(9); // alert 9's only decision was undone
    expect(stats.timeBudgetS).toBe(60);
  });

  it("gives Cohen's kappa between first decision and blind review on the full taxonomy", () => {
    // Agreements: 1, 2, 4, 5, 7, 8 -> po = 6/10 = 0.6.
    // First: gs 3, gm 2, fw 3, vb 1, pg 1. Review: gs 3, gm 2, fw 3, fc 1, vb 1.
    // pe = .3*.3 + .2*.2 + .3*.3 + .1*.1 = .23; kappa = (.6 - .23) / .77 = 0.481
    const k = stats.qa.classAgreement;
    expect(k.n).toBe(10);
    expect(k.observed).toBeCloseTo(0.6, 3);
    expect(k.expected).toBeCloseTo(0.23, 3);
    expect(k.kappa!.toFixed(3)).toBe('0.481');
    // se = sqrt(.6 * .4 / (10 * .77^2)) = 0.201
    expect(k.se!.toFixed(3)).toBe('0.201');
  });

  it('gives kappa on the gunfire / probable / not-gunfire scale', () => {
    // Pairs: GG GG GG GG NN NN NN NN GN PG -> po = .8. First: G 5, N 4, P 1. Review: G 5, N 5.
    // pe = .5*.5 + .4*.5 = .45; kappa = .35 / .55 = 0.636
    expect(stats.qa.verdictAgreement.kappa!.toFixed(3)).toBe('0.636');
  });

  it('gives kappa between reviewers and the machine, leaving out unmapped labels', () => {
    // Alert 9 ("Unknown Impulse") is unmapped, and its decision was undone: it drops out either way.
    // (machine, human): GG GG GG GG NN GN NN GN GP: n = 9, po = 6/9.
    // Machine: G 7, N 2. Human: G 4, N 4, P 1. pe = (7*4 + 2*4) / 81 = 36/81; kappa = (54 - 36) / 45 = 0.400
    expect(stats.machine.compared).toBe(9);
    expect(stats.machine.unmapped).toBe(0);
    expect(stats.machine.agreement.kappa!.toFixed(3)).toBe('0.400');
    expect(stats.machine.confusion.labels).toEqual(['gunfire', 'probable_gunfire', 'not_gunfire']);
    expect(stats.machine.confusion.counts).toEqual([
      [4, 1, 2],
      [0, 0, 0],
      [0, 0, 2],
    ]);
  });

  it('gives per-reviewer kappa with the reviewer as rater A', () => {
    const alice = stats.reviewers.find((r) => r.reviewer === 'alice')!;
    // alice vs bob on 1-5: (gs,gs)(gs,gs)(gs,gm)(gm,gm)(fw,fw): po .8; alice gs 3 gm 1 fw 1; bob gs 2 gm 2 fw 1
    // pe = .6*.4 + .2*.4 + .2*.2 = .36; kappa = .44 / .64 = 0.6875
    expect(alice.qaPairs).toBe(5);
    expect(alice.qaClass.kappa!).toBeCloseTo(0.6875, 3);
    const bob = stats.reviewers.find((r) => r.reviewer === 'bob')!;
    // bob in all ten pairs: po .6; bob gs 2 gm 3 fw 3 vb 1 pg 1; others gs 4 gm 1 fw 3 fc 1 vb 1
    // pe = .2*.4 + .3*.1 + .3*.3 + .1*.1 = .21; kappa = .39 / .79 = 0.494
    expect(bob.qaPairs).toBe(10);
    expect(bob.qaClass.kappa!.toFixed(3)).toBe('0.494');
    expect(stats.reviewers.map((r) => r.reviewer)).toEqual(['alice', 'bob', 'carol']);
  });

  it('gives the confusion matrix of first decision against blind review', () => {
    const m = stats.qa.classConfusion;
    const at = (r: string, c: string) => m.counts[m.labels.indexOf(r)]![m.labels.indexOf(c)]!;
    expect(at('gunfire_single', 'gunfire_single')).toBe(2);
    expect(at('gunfire_single', 'gunfire_multiple')).toBe(1);
    expect(at('gunfire_multiple', 'fireworks')).toBe(1);
    expect(at('probable_gunfire', 'gunfire_single')).toBe(1);
    expect(at('fireworks', 'firecracker')).toBe(1);
    expect(m.counts.flat().reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('gives the review time distribution (nearest-rank percentiles)', () => {
    const t = stats.overall.reviewTime;
    expect(t.n).toBe(10);
    expect(t.meanS).toBeCloseTo(86.1, 3); // 861 / 10
    expect([t.p50S, t.p90S, t.p95S, t.maxS]).toEqual([44, 130, 400, 400]); // ranks 5, 9, 10
    expect(t.bins.map((b) => b.count)).toEqual([1, 1, 1, 2, 1, 1, 1, 1, 1]);
  });

  it('gives the share decided within 60 s of detection', () => {
    // Within: 1, 2, 3, 4 (exactly 60), 6, 8, 10 = 7 of the 9 alerts that stayed decided (9 was undone). alice 4 of 5; bob 6, 8, 10 of 6, 7, 8, 10 = 3 of 4.
    expect(stats.overall.withinBudget).toEqual({ within: 7, of: 9, share: 7 / 9 });
    expect(stats.reviewers.find((r) => r.reviewer === 'alice')!.withinBudget).toEqual({ within: 4, of: 5, share: 0.8 });
    expect(stats.reviewers.find((r) => r.reviewer === 'bob')!.withinBudget).toEqual({ within: 3, of: 4, share: 0.75 });
  });

  it('reconciles: everyone is the sum of the reviewers, and every review is a decided alert or an undone one', () => {
    const sum = (f: (r: (typeof stats.reviewers)[number]) => number) => stats.reviewers.reduce((n, r) => n + f(r), 0);
    expect(stats.overall.decisions).toBe(sum((r) => r.decisions));
    expect(stats.overall.withinBudget.within).toBe(sum((r) => r.withinBudget.within));
    expect(stats.overall.withinBudget.of).toBe(sum((r) => r.withinBudget.of));
    expect(stats.overall.decisions).toBe(stats.decided + stats.undoneReviews);
    expect([stats.decided, stats.undoneReviews, stats.undecided]).toEqual([9, 1, 1]);
    expect(stats.decided + stats.undecided).toBe(stats.alerts);
  });

  it('counts QA outcomes, adjudications and changes after publishing by whom', () => {
    expect(stats.qa).toMatchObject({
      sampled: 10,
      selected: 10,
      open: 0,
      pairs: 10,
      disputed: 3,
      adjudicated: 1,
      verdicts: { first: 1, second: 0, neither: 0 },
    });
    expect(stats.published.alerts).toBe(2);
    expect(stats.published.changedAlerts).toBe(2);
    expect(stats.published.changes.map((c) => [c.alertId, c.kind, c.actor, c.fromClass, c.toClass])).toEqual([
      [ids[0], 'revised', 'dave', 'gunfire_single', 'gunfire_multiple'],
      [ids[8], 'undone', 'erin', 'gunfire_multiple', null],
    ]);
    expect(stats.published.byActor).toEqual([
      { actor: 'dave', changes: 1 },
      { actor: 'erin', changes: 1 },
    ]);
  });

  it('honours another time budget and refuses an empty period', async () => {
    const s = await core.call(sessionFor('audrey', ['auditor']), 'getAuditStats', { fromUs: BASE_US, toUs: BASE_US + 11 * HOUR, timeBudgetS: 30 });
    expect(s.overall.withinBudget.within).toBe(3); // 20, 30, 10 s
    await expect(core.call(sessionFor('audrey', ['auditor']), 'getAuditStats', { fromUs: 5, toUs: 5 })).rejects.toThrow(/end after it starts/);
    await expect(core.call(sessionFor('bob'), 'getAuditStats', { fromUs: 0, toUs: 5 })).rejects.toThrow(/needs the role/);
  });

  it('exports the figures as CSV', () => {
    const csv = statsCsv(stats);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('section,reviewer,metric,row,column,value');
    expect(lines).toContain('agreement,all,qa_class_kappa,,,0.480519');
    expect(lines).toContain('agreement,all,machine_kappa,,,0.4');
    expect(lines).toContain('time_budget,all,share,,,0.777778');
    expect(lines).toContain(
      'published_change,dave,revised,gunfire_single,gunfire_multiple@' +
        new Date(Math.floor(stats.published.changes[0]!.atUs / 1000)).toISOString().slice(0, 23) +
        '000Z,' +
        ids[0],
    );
  });
});
