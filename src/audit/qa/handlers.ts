import type { Handlers } from '../../core/handlers.ts';
import type { Actor } from '../../core/session.ts';
import { UserError } from '../../util/errors.ts';
import { blindDetail } from './blind-view.ts';
import { standing, sweepUnsampled } from './sampling.ts';
import { assertBlindReviewer, sealStanding } from './seal.ts';

const actorOf = (session: { actor: Actor | null }): Actor => {
  if (!session.actor) throw new UserError('unauthenticated', 'sign in first');
  return session.actor;
};

export const qaHandlers: Handlers<'listQaTasks' | 'getBlindAlert' | 'submitQaReview' | 'listQaCases' | 'adjudicateQa'> = {
  listQaTasks: ({ core, session }) => {
    const actor = actorOf(session);
    sweepUnsampled(core.store, core.clock.nowUs());
    const sealed = new Set(core.store.qa.sealedAlertIds());
    const tasks = core.store.qa.samplesInState('open').filter((s) => {
      if (sealStanding(core.store, actor, s.alertId, sealed) === 'decider') return false;
      return !core.store.qa.sealViewers(s.alertId).includes(actor.name);
    }).flatMap((s) => {
      const a = core.store.alerts.summary(s.alertId);
      return a ? [{ alertId: a.id, source: a.source, externalId: a.externalId, detectedUs: a.detectedUs, sampledUs: s.sampledUs, sensorCount: a.sensorCount }] : [];
    });
    return { tasks };
  },

  getBlindAlert: ({ core, session }, { alertId }) => {
    assertBlindReviewer(core.store, actorOf(session), alertId);
    const detail = core.store.alerts.detail(alertId);
    if (!detail) throw new UserError('not_found', `no alert ${alertId}`);
    return blindDetail(detail);
  },

  submitQaReview: ({ core, session }, input) => {
    const actor = actorOf(session);
    const { store, clock } = core;
    if (input.class === 'other' && input.notes.trim() === '') throw new UserError('invalid_input', 'rejecting as "other" needs a reason in the notes');
    return store.tx(() => {
      assertBlindReviewer(store, actor, input.alertId);
      const first = standing(store.auditReads.decisionsOf(input.alertId));
      if (!first) throw new UserError('conflict', `alert ${input.alertId} has no standing decision (it was undone); review it once it is decided again`);
      const now = clock.nowUs();
      const agrees = first.class === input.class;
      const review = store.qa.insertReview({
        alertId: input.alertId, reviewer: actor.name, class: input.class, rounds: input.rounds, flags: input.flags, notes: input.notes,
        reviewMs: input.reviewMs, reviewedUs: now, comparedDecisionId: first.id, agrees,
      });
      const state = agrees ? 'agreed' : 'disputed';
      store.qa.setState(input.alertId, state, agrees ? now : null);
      store.audit.append({ atUs: now, actor: actor.name, action: 'qa.reviewed', entity: `alert:${input.alertId}`, payload: { alertId: input.alertId, review, state } });
      return { review, state };
    });
  },

  listQaCases: ({ core }, { state, limit }) => {
    const { store } = core;
    const cases = store.qa.samplesInState(state).slice(0, limit).map((sample) => {
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
        alertId: input.alertId, qaReviewId: review.id, auditor: actor.name, class: input.class, rounds: input.rounds, notes: input.notes, verdict, adjudicatedUs: now,
      });
      store.qa.setState(input.alertId, 'adjudicated', now);
      store.audit.append({ atUs: now, actor: actor.name, action: 'qa.adjudicated', entity: `alert:${input.alertId}`, payload: { alertId: input.alertId, adjudication } });
      const current = standing(decisions);
      return { adjudication, standingDiffers: current === null || current.class !== input.class };
    });
  },
};
