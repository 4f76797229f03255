import { isGunfire } from '../contract/index.ts';
import { actorName, type Handlers } from '../core/handlers.ts';
import { UserError } from '../util/errors.ts';
import { announceIncident } from './announce.ts';
import { publishChange, publishDecision, standingDecision } from './outbox.ts';
import { incidentView } from './views.ts';

export const reviseHandlers: Handlers<'reviseDecision' | 'cancelIncident'> = {
  reviseDecision: (ctx, input) => {
    const { store, clock, events } = ctx.core;
    const who = actorName(ctx);
    const now = clock.nowUs();
    const { decision, outcome } = store.tx(() => {
      const detail = store.alerts.detail(input.alertId);
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
      const decision = store.decisions.insert({ alertId: input.alertId, ...next, notes: input.notes, decidedBy: who, decidedUs: now, reviewMs: 0 });
      store.audit.append({
        atUs: now,
        actor: who,
        action: 'decision.revised',
        entity: `alert:${input.alertId}`,
        payload: { previousDecisionId: current.id, decision },
      });
      return { decision, outcome: publishDecision(store, decision, who) };
    });
    ctx.core.sealedAlerts.decided(input.alertId, who); // a reviser of a sealed decision sees it whole, live too
    const summary = store.alerts.summary(input.alertId);
    if (summary) events.emit('alertChanged', { alert: summary });
    if (outcome.incidentId !== null) announceIncident(ctx.core, outcome.incidentId, outcome.deliveryIds);
    const incident = store.incidents.byAlert(input.alertId);
    return { decision, incident: incident ? incidentView(store, incident, clock.nowUs()) : null };
  },

  cancelIncident: (ctx, { incidentId, reason }) => {
    const { store, clock } = ctx.core;
    const who = actorName(ctx);
    const now = clock.nowUs();
    const out = store.tx(() => {
      const incident = store.incidents.get(incidentId);
      if (!incident) throw new UserError('not_found', `no incident ${incidentId}`);
      if (incident.state === 'cancelled') throw new UserError('conflict', `incident ${incidentId} is already cancelled`);
      return publishChange(store, { alertId: incident.alertId, actor: who, nowUs: now, cancelReason: reason });
    });
    announceIncident(ctx.core, incidentId, out.deliveryIds);
    return incidentView(store, store.incidents.get(incidentId)!, clock.nowUs());
  },
};
