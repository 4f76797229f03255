import { isGunfire } from '../contract/index.ts';
import { actorName, type Handlers } from '../kernel/handlers.ts';
import { UserError } from '../util/errors.ts';
import { announceIncidentTx } from './announce.ts';
import { standingDecision } from './outbox-plan.ts';
import { publishChangeTx, publishDecisionTx } from './outbox-tx.ts';
import { incidentViewTx } from './views.ts';

/**
 * Revisions and cancellations on the store port: each one write that locks the alert first (as
 * decide and undo do, so they take turns on every server of the database), publishes the change
 * through the port's outbox, and announces the alert, the incident and its deliveries with
 * tx.emit, once, after COMMIT.
 */
export const reviseHandlers: Handlers<'reviseDecision' | 'cancelIncident'> = {
  reviseDecision: (ctx, input) => {
    const { storePort, clock } = ctx.core;
    const who = actorName(ctx);
    return storePort.write(async (tx) => {
      if (!(await tx.alerts.lock(input.alertId))) throw new UserError('not_found', `no alert ${input.alertId}`);
      const detail = await tx.alerts.detail(input.alertId);
      if (!detail) throw new UserError('not_found', `no alert ${input.alertId}`);
      const current = standingDecision(detail);
      if (detail.status !== 'decided' || !current) throw new UserError('conflict', `alert ${input.alertId} has no decision to revise; decide it first`);
      const next = {
        class: input.class ?? current.class,
        rounds: input.rounds !== undefined ? input.rounds : current.rounds,
        flags: input.flags ?? current.flags,
      };
      if (isGunfire(next.class) && next.rounds === 0) throw new UserError('invalid_input', 'gunfire needs at least one round');
      if (
        next.class === current.class &&
        next.rounds === current.rounds &&
        next.flags.fullyAutomatic === current.flags.fullyAutomatic &&
        next.flags.multipleShooters === current.flags.multipleShooters
      ) {
        throw new UserError('invalid_input', 'the revision changes nothing: give a new class, rounds or flags');
      }
      const now = clock.nowUs();
      const decision = await tx.decisions.insert({ alertId: input.alertId, ...next, notes: input.notes, decidedBy: who, decidedUs: now, reviewMs: 0 });
      await tx.audit.append({
        atUs: now,
        actor: who,
        action: 'decision.revised',
        entity: `alert:${input.alertId}`,
        payload: { previousDecisionId: current.id, decision },
      });
      const outcome = await publishDecisionTx({ tx, port: storePort }, decision, who);
      ctx.core.sealedAlerts.decided(input.alertId, who); // a reviser of a sealed decision sees it whole, live too
      const summary = await tx.alerts.summary(input.alertId);
      if (summary) tx.emit('alertChanged', { alert: summary });
      if (outcome.incidentId !== null) await announceIncidentTx(tx, outcome.incidentId, outcome.deliveryIds, now);
      const incident = await tx.incidents.byAlert(input.alertId);
      return { decision, incident: incident ? await incidentViewTx(tx, incident, now) : null };
    });
  },

  cancelIncident: (ctx, { incidentId, reason }) => {
    const { storePort, clock } = ctx.core;
    const who = actorName(ctx);
    return storePort.write(async (tx) => {
      const found = await tx.incidents.get(incidentId);
      if (!found) throw new UserError('not_found', `no incident ${incidentId}`);
      await tx.alerts.lock(found.alertId);
      // Read again under the alert's lock: a cancellation on another server may have ended it meanwhile.
      const incident = (await tx.incidents.get(incidentId))!;
      if (incident.state === 'cancelled') throw new UserError('conflict', `incident ${incidentId} is already cancelled`);
      const now = clock.nowUs();
      const out = await publishChangeTx({ tx, port: storePort }, { alertId: incident.alertId, actor: who, nowUs: now, cancelReason: reason });
      await announceIncidentTx(tx, incidentId, out.deliveryIds, now);
      return incidentViewTx(tx, (await tx.incidents.get(incidentId))!, now);
    });
  },
};
