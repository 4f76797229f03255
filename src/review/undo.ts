import type { Decision } from '../contract/index.ts';
import { actorName, type Handlers } from '../core/handlers.ts';
import { UserError } from '../util/errors.ts';
import { announceClaims, takeClaim } from './claim-ops.ts';
import { decisionUndone, isPublished } from './published.ts';

export const undoHandlers: Handlers<'undoDecision'> = {
  /**
   * Undo the standing decision: the row stays, marked undone; the alert returns to the queue,
   * claimed by this seat so its reviewer can decide again at once. Refused once published.
   */
  undoDecision: (ctx, { alertId }) => {
    const { store, clock, events } = ctx.core;
    const who = actorName(ctx);
    const isAdmin = ctx.session.actor?.roles.includes('admin') ?? false;
    const { undone, claim, released } = store.tx(() => {
      const detail = store.alerts.detail(alertId);
      if (!detail) throw new UserError('not_found', `no alert ${alertId}`);
      const standing = detail.decisions.filter((d) => d.undoneUs === null).at(-1);
      if (detail.status !== 'decided' || !standing) throw new UserError('conflict', `alert ${alertId} has no decision to undo`);
      if (standing.decidedBy !== who && !isAdmin) throw new UserError('forbidden', `only ${standing.decidedBy} or an administrator can undo this decision`);
      if (isPublished(store, alertId))
        throw new UserError('conflict', `alert ${alertId} is published already: revise it (an Update goes to the agencies) instead of undoing it`);
      const now = clock.nowUs();
      store.decisions.undo(standing.id, alertId, now);
      const marked: Decision = { ...standing, undoneUs: now };
      store.audit.append({
        atUs: now,
        actor: who,
        action: 'decision.undone',
        entity: `alert:${alertId}`,
        payload: { decisionId: standing.id, version: standing.version },
      });
      decisionUndone(store, marked, who);
      return { undone: marked, ...takeClaim(ctx, alertId, now) };
    });
    announceClaims(ctx.core, released, claim);
    const summary = store.alerts.summary(alertId);
    if (summary) events.emit('alertChanged', { alert: summary });
    return { undone, claim };
  },
};
