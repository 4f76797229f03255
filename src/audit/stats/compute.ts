import type { AuditStats, ReviewerStats } from '../../contract/audit.ts';
import { DECISION_CLASSES, waitingSinceUs, type Decision, type DecisionClass } from '../../contract/index.ts';
import type { StoreTx } from '../../kernel/store-port.ts';
import { UserError } from '../../util/errors.ts';
import { readAuditSettingsTx } from '../qa/settings.ts';
import { publications } from './publications.ts';
import { cohenKappa, confusion } from './kappa.ts';
import { machineVerdict, VERDICTS, verdictOf, type Verdict } from './scales.ts';
import { distribution } from './time.ts';

type Pair = readonly [string, string];

/**
 * A decision version is a *revision* when an earlier version still stood when it was made
 * (the publish flow's reviseDecision, an adjudication applied); otherwise it is a review: a
 * person looked at a pending alert and judged it. Review times and agreement count reviews.
 */
function splitVersions(versions: readonly Decision[]): { reviews: Decision[]; revisions: Decision[] } {
  const reviews: Decision[] = [];
  const revisions: Decision[] = [];
  for (const v of versions) {
    const stood = versions.some((u) => u.version < v.version && (u.undoneUs === null || u.undoneUs > v.decidedUs));
    (stood ? revisions : reviews).push(v);
  }
  return { reviews, revisions };
}

function standingAt(versions: readonly Decision[], atUs: number): Decision | null {
  let best: Decision | null = null;
  for (const v of versions) if (v.decidedUs <= atUs && (v.undoneUs === null || v.undoneUs > atUs) && (!best || v.version > best.version)) best = v;
  return best;
}

/**
 * Statistics for alerts detected in [fromUs, toUs): everything about those alerts counts,
 * whenever it happened. See docs/audit/README.md for every definition.
 */
export async function computeStats(tx: StoreTx, fromUs: number, toUs: number, budgetS?: number): Promise<AuditStats> {
  if (!(toUs > fromUs)) throw new UserError('invalid_input', 'the period must end after it starts');
  const timeBudgetS = budgetS ?? (await readAuditSettingsTx(tx)).timeBudgetS;
  const alerts = await tx.auditReads.alertsDetectedBetween(fromUs, toUs);
  const alertIds = new Set(alerts.map((a) => a.id));
  const versionsOf = new Map<number, Decision[]>();
  for (const d of await tx.auditReads.decisionsForAlertsDetectedBetween(fromUs, toUs)) versionsOf.set(d.alertId, [...(versionsOf.get(d.alertId) ?? []), d]);
  const decisionById = new Map([...versionsOf.values()].flat().map((d) => [d.id, d]));
  const published = await publications(tx);

  const people = new Set<string>();
  const reviewTimes = new Map<string, number[]>();
  const budget = new Map<string, { within: number; of: number }>();
  const machinePairs = new Map<string, Pair[]>();
  const changes: AuditStats['published']['changes'] = [];
  const undoActors = await undoActorsByDecision(tx);
  const unmapped = new Map<string, number>();
  const push = <T>(m: Map<string, T[]>, k: string, v: T) => m.set(k, [...(m.get(k) ?? []), v]);

  let decided = 0;
  let undoneReviews = 0;
  // Within budget counts each decided alert once, for whoever first decided it: everyone's share is
  // over the same alerts as the reviewers' shares together.
  const budgetAll = { within: 0, of: 0 };
  for (const a of alerts) {
    const versions = versionsOf.get(a.id) ?? [];
    const { reviews } = splitVersions(versions);
    for (const r of reviews) {
      people.add(r.decidedBy);
      push(reviewTimes, r.decidedBy, r.reviewMs / 1000);
      if (r.undoneUs !== null) undoneReviews++;
    }
    if (versions.some((v) => v.undoneUs === null)) decided++;
    // Time budget: from when the alert began to wait (as the queue counts it) to the first review that was not undone.
    const first = reviews.filter((r) => r.undoneUs === null).sort((x, y) => x.decidedUs - y.decidedUs)[0];
    if (first) {
      const b = budget.get(first.decidedBy) ?? { within: 0, of: 0 };
      b.of++;
      budgetAll.of++;
      if ((first.decidedUs - waitingSinceUs({ detectedUs: a.detected_us, importedUs: a.imported_us })) / 1e6 <= timeBudgetS) {
        b.within++;
        budgetAll.within++;
      }
      budget.set(first.decidedBy, b);
    }
    // Machine agreement: each standing review against the label as received.
    const m = machineVerdict(a.machine_label);
    for (const r of reviews.filter((x) => x.undoneUs === null)) {
      const h = verdictOf(r.class);
      if (h === null) continue;
      if (m === null) {
        const key = a.machine_label ?? '(none)';
        unmapped.set(key, (unmapped.get(key) ?? 0) + 1);
        continue;
      }
      push(machinePairs, r.decidedBy, [m, h] as const);
    }
    // Changes after publishing: any later version, and any undo, after the first publication.
    const pubUs = published.get(a.id);
    if (pubUs !== undefined) {
      for (const v of versions) {
        if (v.decidedUs > pubUs && v.version > 1) {
          changes.push({
            alertId: a.id,
            atUs: v.decidedUs,
            actor: v.decidedBy,
            kind: 'revised',
            publishedUs: pubUs,
            fromClass:
              standingAt(
                versions.filter((u) => u.id !== v.id),
                v.decidedUs - 1,
              )?.class ?? null,
            toClass: v.class,
          });
        }
        if (v.undoneUs !== null && v.undoneUs > pubUs) {
          changes.push({
            alertId: a.id,
            atUs: v.undoneUs,
            actor: undoActors.get(v.id) ?? 'unknown',
            kind: 'undone',
            publishedUs: pubUs,
            fromClass: v.class,
            toClass:
              standingAt(
                versions.filter((u) => u.id !== v.id),
                v.undoneUs,
              )?.class ?? null,
          });
        }
      }
    }
  }

  // QA pairs: the decision the blind review was compared with, and the review.
  const samples = (await tx.qa.samples()).filter((s) => alertIds.has(s.alertId));
  const reviews = (await tx.qa.reviews()).filter((r) => alertIds.has(r.alertId));
  const adjudications = (await tx.qa.adjudications()).filter((x) => alertIds.has(x.alertId));
  const qaPairs: { first: Decision; second: { reviewer: string; class: DecisionClass } }[] = [];
  for (const r of reviews) {
    const first = decisionById.get(r.comparedDecisionId);
    if (!first) continue;
    qaPairs.push({ first, second: { reviewer: r.reviewer, class: r.class } });
    people.add(r.reviewer);
  }
  const classPairs = (list: typeof qaPairs, who?: string): Pair[] =>
    list.map((p) => (who !== undefined && p.second.reviewer === who ? [p.second.class, p.first.class] : [p.first.class, p.second.class]) as Pair);
  const verdictPairs = (pairs: Pair[]): Pair[] =>
    pairs.flatMap(([x, y]) => {
      const a = verdictOf(x as DecisionClass),
        b = verdictOf(y as DecisionClass);
      return a !== null && b !== null ? [[a, b] as Pair] : [];
    });

  const forPerson = (who: string | null): ReviewerStats => {
    const times = who === null ? [...reviewTimes.values()].flat() : (reviewTimes.get(who) ?? []);
    const b = who === null ? budgetAll : (budget.get(who) ?? { within: 0, of: 0 });
    const mPairs = who === null ? [...machinePairs.values()].flat() : (machinePairs.get(who) ?? []);
    const mine = who === null ? qaPairs : qaPairs.filter((p) => p.first.decidedBy === who || p.second.reviewer === who);
    const cp = classPairs(mine, who ?? undefined);
    return {
      reviewer: who ?? 'all',
      decisions: times.length,
      reviewTime: distribution(times),
      withinBudget: { within: b.within, of: b.of, share: b.of ? b.within / b.of : null },
      machine: cohenKappa(mPairs),
      machineConfusion: confusion(mPairs, VERDICTS, 'machine', who ?? 'reviewers'),
      qaClass: cohenKappa(cp),
      qaVerdict: cohenKappa(verdictPairs(cp)),
      qaPairs: mine.length,
      changesAfterPublish: changes.filter((c) => who === null || c.actor === who).length,
    };
  };
  const allClassPairs = classPairs(qaPairs);
  const byActor = new Map<string, number>();
  for (const c of changes) byActor.set(c.actor, (byActor.get(c.actor) ?? 0) + 1);
  const allMachine = [...machinePairs.values()].flat();
  return {
    fromUs,
    toUs,
    timeBudgetS,
    alerts: alerts.length,
    decided,
    undoneReviews,
    undecided: alerts.length - decided,
    overall: forPerson(null),
    reviewers: [...people].sort().map(forPerson),
    qa: {
      sampled: samples.length,
      selected: samples.filter((s) => s.selected).length,
      open: samples.filter((s) => s.state === 'open').length,
      pairs: qaPairs.length,
      disputed: samples.filter((s) => s.state === 'disputed').length,
      adjudicated: adjudications.length,
      verdicts: {
        first: adjudications.filter((x) => x.verdict === 'first').length,
        second: adjudications.filter((x) => x.verdict === 'second').length,
        neither: adjudications.filter((x) => x.verdict === 'neither').length,
      },
      classAgreement: cohenKappa(allClassPairs),
      verdictAgreement: cohenKappa(verdictPairs(allClassPairs)),
      classConfusion: confusion(allClassPairs, DECISION_CLASSES, 'first decision', 'blind review'),
      verdictConfusion: confusion(verdictPairs(allClassPairs), VERDICTS, 'first decision', 'blind review'),
    },
    machine: {
      compared: allMachine.length,
      unmapped: [...unmapped.values()].reduce((x, y) => x + y, 0),
      unmappedLabels: [...unmapped.keys()].sort(),
      agreement: cohenKappa(allMachine),
      confusion: confusion(allMachine, VERDICTS as readonly Verdict[], 'machine', 'reviewers'),
    },
    published: {
      alerts: [...alertIds].filter((id) => published.has(id)).length,
      changedAlerts: new Set(changes.map((c) => c.alertId)).size,
      changes: changes.sort((x, y) => x.atUs - y.atUs),
      byActor: [...byActor].map(([actor, n]) => ({ actor, changes: n })).sort((x, y) => y.changes - x.changes || (x.actor < y.actor ? -1 : 1)),
    },
  };
}

async function undoActorsByDecision(tx: StoreTx): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const row of await tx.audit.withActionPrefix('decision.undone')) {
    try {
      const p = JSON.parse(row.payload_json) as Record<string, unknown>;
      const id =
        typeof p.decisionId === 'number'
          ? p.decisionId
          : typeof (p.decision as { id?: unknown } | undefined)?.id === 'number'
            ? (p.decision as { id: number }).id
            : null;
      if (id !== null) out.set(id, row.actor);
    } catch {
      /* verify reports unreadable payloads */
    }
  }
  return out;
}
