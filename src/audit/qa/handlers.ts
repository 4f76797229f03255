import type { Handlers } from '../../kernel/handlers.ts';
import type { Actor } from '../../kernel/session.ts';
import type { StoreTx } from '../../kernel/store-port.ts';
import { UserError } from '../../util/errors.ts';
import { blindDetail } from './blind-view.ts';
import { standing, sweepUnsampledTx } from './sampling.ts';
import { assertBlindReviewerTx, sealStandingTx } from './seal.ts';

/**
 * How long opening a blind review keeps it from other reviewers: a review takes a minute or two;
 * one left open longer goes back to the others (and the first to submit is the one recorded).
 */
export const QA_HOLD_US = 10 * 60 * 1_000_000;

/** Refuses a task another reviewer holds right now. */
async function assertNotHeld(tx: StoreTx, actor: Actor, alertId: number, nowUs: number): Promise<void> {
  const holder = await tx.qa.holder(alertId, nowUs);
  if (holder !== undefined && holder !== actor.name) throw new UserError('conflict', `${holder} is giving the second review of alert ${alertId}`);
}

const actorOf = (session: { actor: Actor | null }): Actor => {
  if (!session.actor) throw new UserError('unauthenticated', 'sign in first');
  return session.actor;
};

/**
 * The blind second reviews and their adjudication, on the store port. Each change is one write
 * that locks the alert first, so two reviewers (or two auditors) on two servers take turns and the
 * second finds the case already done.
 */
export const qaHandlers: Handlers<'listQaTasks' | 'getBlindAlert' | 'submitQaReview' | 'listQaCases' | 'adjudicateQa'> = {
  listQaTasks: async ({ core, session }) => {
    const actor = actorOf(session);
    const { storePort, clock } = core;
    // Decisions no decide drew (made before sampling, or by the command line) are drawn here, in
    // a write only when there are some; those drawn are sealed from now on, for live events too.
    if ((await storePort.read((tx) => tx.qa.unsampledDecided())).length > 0)
      await storePort.write(async (tx) => {
        for (const s of await sweepUnsampledTx(tx, clock.nowUs()))
          if (s.state === 'open') core.sealedAlerts.sealing(s.alertId, await tx.auditReads.decisionActors(s.alertId));
      });
    return storePort.read(async (tx) => {
      const sealed = new Set(await tx.qa.sealedAlertIds());
      const held = await tx.qa.holders(clock.nowUs());
      const tasks = [];
      for (const s of await tx.qa.samplesInState('open')) {
        if ((await sealStandingTx(tx, actor, s.alertId, sealed)) === 'decider') continue;
        // One reviewer at a time: a task someone else has open is not offered.
        if ((held.get(s.alertId) ?? actor.name) !== actor.name) continue;
        if ((await tx.qa.sealViewers(s.alertId)).includes(actor.name)) continue;
        const a = await tx.alerts.summary(s.alertId);
        if (a)
          tasks.push({
            alertId: a.id,
            source: a.source,
            externalId: a.externalId,
            detectedUs: a.detectedUs,
            sampledUs: s.sampledUs,
            sensorCount: a.sensorCount,
          });
      }
      return { tasks };
    });
  },

  getBlindAlert: async ({ core, session }, { alertId }) => {
    const actor = actorOf(session);
    const { storePort, clock } = core;
    // Opening the task holds it: checked and taken in one write, the alert locked, so two
    // reviewers opening it at once cannot both get it.
    return storePort.write(async (tx) => {
      await tx.alerts.lock(alertId);
      const now = clock.nowUs();
      await assertBlindReviewerTx(tx, actor, alertId);
      await assertNotHeld(tx, actor, alertId, now);
      const detail = await tx.alerts.detail(alertId);
      if (!detail) throw new UserError('not_found', `no alert ${alertId}`);
      await tx.qa.hold(alertId, actor.name, now + QA_HOLD_US);
      return blindDetail(detail);
    });
  },

  submitQaReview: async ({ core, session }, input) => {
    const actor = actorOf(session);
    const { storePort, clock } = core;
    if (input.class === 'other' && input.notes.trim() === '') throw new UserError('invalid_input', 'rejecting as "other" needs a reason in the notes');
    const answer = await storePort.write(async (tx) => {
      await tx.alerts.lock(input.alertId);
      await assertBlindReviewerTx(tx, actor, input.alertId);
      await assertNotHeld(tx, actor, input.alertId, clock.nowUs());
      const first = standing(await tx.auditReads.decisionsOf(input.alertId));
      if (!first) throw new UserError('conflict', `alert ${input.alertId} has no standing decision (it was undone); review it once it is decided again`);
      const now = clock.nowUs();
      const agrees = first.class === input.class;
      const review = await tx.qa.insertReview({
        alertId: input.alertId,
        reviewer: actor.name,
        class: input.class,
        rounds: input.rounds,
        flags: input.flags,
        notes: input.notes,
        reviewMs: input.reviewMs,
        reviewedUs: now,
        comparedDecisionId: first.id,
        agrees,
      });
      const state = agrees ? ('agreed' as const) : ('disputed' as const);
      await tx.qa.setState(input.alertId, state, agrees ? now : null);
      await tx.qa.releaseHold(input.alertId);
      await tx.audit.append({
        atUs: now,
        actor: actor.name,
        action: 'qa.reviewed',
        entity: `alert:${input.alertId}`,
        payload: { alertId: input.alertId, review, state },
      });
      return { review, state };
    });
    core.sealedAlerts.unsealed(input.alertId); // the review is in: live events show its decision again
    return answer;
  },

  listQaCases: ({ core }, { state, limit }) =>
    core.storePort.read(async (tx) => {
      const cases = [];
      for (const sample of (await tx.qa.samplesInState(state)).slice(0, limit)) {
        const review = (await tx.qa.review(sample.alertId)) ?? null;
        const decisions = await tx.auditReads.decisionsOf(sample.alertId);
        const firstId = review?.comparedDecisionId ?? sample.decisionId;
        cases.push({
          sample,
          firstDecision: decisions.find((d) => d.id === firstId) ?? null,
          review,
          adjudication: (await tx.qa.adjudication(sample.alertId)) ?? null,
        });
      }
      return { cases };
    }),

  adjudicateQa: ({ core, session }, input) => {
    const actor = actorOf(session);
    const { storePort, clock } = core;
    return storePort.write(async (tx) => {
      await tx.alerts.lock(input.alertId);
      const sample = await tx.qa.sample(input.alertId);
      if (!sample || !sample.selected) throw new UserError('not_found', `alert ${input.alertId} has no QA case`);
      if (sample.state !== 'disputed') throw new UserError('conflict', `the QA case of alert ${input.alertId} is ${sample.state}, not disputed`);
      const review = (await tx.qa.review(input.alertId))!;
      const decisions = await tx.auditReads.decisionsOf(input.alertId);
      const first = decisions.find((d) => d.id === review.comparedDecisionId)!;
      // Three people on record: the adjudicator is neither of the two whose judgements differ.
      if (actor.name === first.decidedBy || actor.name === review.reviewer) {
        throw new UserError('forbidden', `${actor.name} made one of the two judgements of alert ${input.alertId}; another auditor must adjudicate`);
      }
      const now = clock.nowUs();
      const verdict = input.class === first.class ? 'first' : input.class === review.class ? 'second' : 'neither';
      const adjudication = await tx.qa.insertAdjudication({
        alertId: input.alertId,
        qaReviewId: review.id,
        auditor: actor.name,
        class: input.class,
        rounds: input.rounds,
        notes: input.notes,
        verdict,
        adjudicatedUs: now,
      });
      await tx.qa.setState(input.alertId, 'adjudicated', now);
      await tx.audit.append({
        atUs: now,
        actor: actor.name,
        action: 'qa.adjudicated',
        entity: `alert:${input.alertId}`,
        payload: { alertId: input.alertId, adjudication },
      });
      const current = standing(decisions);
      return { adjudication, standingDiffers: current === null || current.class !== input.class };
    });
  },
};
