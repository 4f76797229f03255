import { isGunfire, type Decision } from '../contract/index.ts';
import { actorName, type Handlers } from '../core/handlers.ts';
import { publishDecision } from '../publish/outbox.ts';
import { sampleDecidedAlert } from '../audit/qa/sampling.ts';
import { UserError } from '../util/errors.ts';
import { announceClaims } from './claim-ops.ts';
import { checkDecisionFits, requireClaim } from './decision-rules.ts';

export const reviewHandlers: Handlers<'decide'> = {
  decide: (ctx, input) => {
    const { store, clock, events } = ctx.core;
    const who = actorName(ctx);
    if (input.class === 'other' && input.notes.trim() === '') {
      throw new UserError('invalid_input', 'rejecting as "other" needs a reason in the notes');
    }
    if (isGunfire(input.class) && input.rounds === 0) throw new UserError('invalid_input', 'gunfire needs at least one round');
    checkDecisionFits(input);
    const decision: Decision = store.tx(() => {
      const status = store.decisions.statusOf(input.alertId);
      if (status === undefined) throw new UserError('not_found', `no alert ${input.alertId}`);
      if (status !== 'pending') throw new UserError('conflict', `alert ${input.alertId} is already decided`);
      requireClaim(ctx, input.alertId, clock.nowUs()); // the work is done: the claim ends with the decision
      const d = store.decisions.insert({ ...input, decidedBy: who, decidedUs: clock.nowUs() });
      store.audit.append({ atUs: d.decidedUs, actor: who, action: 'decision.made', entity: `alert:${input.alertId}`, payload: d });
      publishDecision(store, d, who); // transactional outbox: the incident and its deliveries commit with the decision
      // QA draw in the same transaction: a selected decision is sealed from the moment it exists.
      sampleDecidedAlert(store, input.alertId, who, d.decidedUs);
      return d;
    });
    announceClaims(ctx.core, [input.alertId]);
    const summary = store.alerts.summary(input.alertId);
    if (summary) events.emit('alertChanged', { alert: summary });
    return decision;
  },
};
