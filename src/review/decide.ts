import { isGunfire, type Decision } from '../contract/index.ts';
import { actorName, type Handlers } from '../kernel/handlers.ts';
import { announceIncidentTx } from '../publish/announce.ts';
import { publishDecisionTx } from '../publish/outbox-tx.ts';
import { sampleDecidedAlertTx } from '../audit/qa/sampling.ts';
import { UserError } from '../util/errors.ts';
import { checkDecisionFits, requireClaimTx } from './decision-rules.ts';

export const reviewHandlers: Handlers<'decide'> = {
  /**
   * One write on the store port: the alert locked first (a decision, an undo or a claim of the
   * same alert take turns on every server of the database), the claim checked and ended, the
   * decision and its audit entry, the publishing outbox (incident, message, one delivery per
   * endpoint) and the QA draw, all committed together or not at all. What changed (the claim, the
   * alert, the incident and its deliveries) is announced with tx.emit, once, after COMMIT.
   */
  decide: (ctx, input) => {
    const { storePort, clock } = ctx.core;
    const who = actorName(ctx);
    if (input.class === 'other' && input.notes.trim() === '') {
      throw new UserError('invalid_input', 'rejecting as "other" needs a reason in the notes');
    }
    if (isGunfire(input.class) && input.rounds === 0) throw new UserError('invalid_input', 'gunfire needs at least one round');
    checkDecisionFits(input);
    return storePort.write(async (tx): Promise<Decision> => {
      if (!(await tx.alerts.lock(input.alertId))) throw new UserError('not_found', `no alert ${input.alertId}`);
      const status = await tx.decisions.statusOf(input.alertId);
      if (status === undefined) throw new UserError('not_found', `no alert ${input.alertId}`);
      if (status !== 'pending') throw new UserError('conflict', `alert ${input.alertId} is already decided`);
      const now = clock.nowUs();
      await requireClaimTx(tx, ctx, input.alertId, now); // the work is done: the claim ends with the decision
      const d = await tx.decisions.insert({ ...input, decidedBy: who, decidedUs: now });
      await tx.audit.append({ atUs: d.decidedUs, actor: who, action: 'decision.made', entity: `alert:${input.alertId}`, payload: d });
      // Transactional outbox: the incident and its deliveries commit with the decision.
      const publication = await publishDecisionTx({ tx, port: storePort }, d, who);
      // QA draw in the same write: a selected decision is sealed from the moment it exists, and live
      // events hear so before this write's own go out (a write that then fails hides more, not less).
      const sample = await sampleDecidedAlertTx(tx, input.alertId, who, d.decidedUs);
      if (sample?.state === 'open') ctx.core.sealedAlerts.sealing(input.alertId, await tx.auditReads.decisionActors(input.alertId));
      const summary = await tx.alerts.summary(input.alertId);
      if (summary) tx.emit('alertChanged', { alert: summary });
      if (publication.incidentId !== null) await announceIncidentTx(tx, publication.incidentId, publication.deliveryIds, now);
      return d;
    });
  },
};
