import type { Handlers } from '../../core/handlers.ts';
import type { Actor } from '../../core/session.ts';
import type { Store } from '../../store/store.ts';
import { UserError } from '../../util/errors.ts';
import { blindDetail } from './blind-view.ts';
import { standing, sweepUnsampled } from './sampling.ts';
import { assertBlindReviewer, sealStanding } from './seal.ts';

/**
 * How long opening a blind review keeps it from other reviewers: a review takes a minute or two;
 * one left open longer goes back to the others (and the first to submit is the one recorded).
 */
export const QA_HOLD_US = 10 * 60 * 1_000_000;

/** Refuses a task another reviewer holds right now. */
function assertNotHeld(store: Store, actor: Actor, alertId: number, nowUs: number): void {
  const holder = store.qa.holder(alertId, nowUs);
  if (holder !== undefined && holder !== actor.name) throw new UserError('conflict', `${holder} is giving the second review of alert ${alertId}`);
}

const actorOf = (session: { actor: Actor | null }): Actor => {
  if (!session.actor) throw new UserError('unauthenticated', 'sign in first');
  return session.actor;
};

export const qaHandlers: Handlers<'listQaTasks' | 'getBlindAlert' | 'submitQaReview' | 'listQaCases' | 'adjudicateQa'> = {
  listQaTasks: ({ core, session }) => {
    const actor = actorOf(session);
    // Decisions drawn here are sealed from now on, for live events too.
    for (const s of sweepUnsampled(core.store, core.clock.nowUs()))
      if (s.state === 'open') core.sealedAlerts.sealing(s.alertId, core.store.auditReads.decisionActors(s.alertId));
    const sealed = new Set(core.store.qa.sealedAlertIds());
    const held = core.store.qa.holders(core.clock.nowUs());
    const tasks = core.store.qa
      .samplesInState('open')
      .filter((s) => {
        if (sealStanding(core.store, actor, s.alertId, sealed) === 'decider') return false;
        // One reviewer at a time: a task someone else has open is not offered.
        if ((held.get(s.alertId) ?? actor.name) !== actor.name) return false;
        return !core.store.qa.sealViewers(s.alertId).includes(actor.name);
      })
      .flatMap((s) => {
        const a = core.store.alerts.summary(s.alertId);
        return a
          ? [{ alertId: a.id, source: a.source, externalId: a.externalId, detectedUs: a.detectedUs, sampledUs: s.sampledUs, sensorCount: a.sensorCount }]
          : [];
      });
    return { tasks };
  },

  getBlindAlert: ({ core, session }, { alertId }) => {
    const actor = actorOf(session);
    const { store, clock } = core;
    // Opening the task holds it: checked and taken in one transaction, so two reviewers opening
    // it at once cannot both get it.
    store.tx(() => {
      const now = clock.nowUs();
      assertBlindReviewer(store, actor, alertId);
      assertNotHeld(store, actor, alertId, now);
      store.qa.hold(alertId, actor.name, now + QA_HOLD_US);
    });
    const detail = store.alerts.detail(alertId);
    if (!detail) throw new UserError('not_found', `no alert ${alertId}`);
    return blindDetail(detail);
  },

  submitQaReview: ({ core, session }, input) => {
    const actor = actorOf(session);
    const { store, clock } = core;
    if (input.class === 'other' && input.notes.trim() === '') throw new UserError('invalid_input', 'rejecting as "other" needs a reason in the notes');
    const answer = store.tx(() => {
      assertBlindReviewer(store, actor, input.alertId);
      assertNotHeld(store, actor, input.alertId, clock.nowUs());
      const first = standing(store.auditReads.decisionsOf(input.alertId));
      if (!first) throw new UserError('conflict', `alert ${input.alertId} has no standing decision (it was undone); review it once it is decided again`);
      const now = clock.nowUs();
      const agrees = first.class === input.class;
      const review = store.qa.insertReview({
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
      store.qa.setState(input.alertId, state, agrees ? now : null);
      store.qa.releaseHold(input.alertId);
      store.audit.append({
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

  listQaCases: ({ core }, { state, limit }) => {
    const { store } = core;
    const cases = store.qa
      .samplesInState(state)
      .slice(0, limit)
      .map((sample) => {
        const review = store.qa.review(sample.alertId) ?? null;
        const decisions = store.auditReads.decisionsOf(sample.alertId);
        const firstId = review?.comparedDecisionId ?? sample.decisionId;
        return { sample, firstDecision: decisions.find((d) => d.id === firstId) ?? null, review, adjudication: store.qa.adjudication(sample.alertId) ?? null };
      });
    return { cases };
  },

  adjudicateQa: ({ core, session }, input) => {
    const actor = actorOf(session);
    const { store, clock } = core;
    return store.tx(() => {
      const sample = store.qa.sample(input.alertId);
      if (!sample || !sample.selected) throw new UserError('not_found', `alert ${input.alertId} has no QA case`);
      if (sample.state !== 'disputed') throw new UserError('conflict', `the QA case of alert ${input.alertId} is ${sample.state}, not disputed`);
      const review = store.qa.review(input.alertId)!;
      const decisions = store.auditReads.decisionsOf(input.alertId);
      const first = decisions.find((d) => d.id === review.comparedDecisionId)!;
      // Three people on record: the adjudicator is neither of the two whose judgements differ.
      if (actor.name === first.decidedBy || actor.name === review.reviewer) {
        throw new UserError('forbidden', `${actor.name} made one of the two judgements of alert ${input.alertId}; another auditor must adjudicate`);
      }
      const now = clock.nowUs();
      const verdict = input.class === first.class ? 'first' : input.class === review.class ? 'second' : 'neither';
      const adjudication = store.qa.insertAdjudication({
        alertId: input.alertId,
        qaReviewId: review.id,
        auditor: actor.name,
        class: input.class,
        rounds: input.rounds,
        notes: input.notes,
        verdict,
        adjudicatedUs: now,
      });
      store.qa.setState(input.alertId, 'adjudicated', now);
      store.audit.append({
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
