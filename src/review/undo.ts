import type { Decision } from '../contract/index.ts';
import { readSeatSettingsTx } from '../accounts/seat-settings.ts';
import { actorName, type Handlers } from '../kernel/handlers.ts';
import { UserError } from '../util/errors.ts';
import { decisionUndone, isPublished } from './published.ts';
import { takeClaimTx } from './queue-handlers.ts';

export const undoHandlers: Handlers<'undoDecision'> = {
  /**
   * Undo the standing decision: the row stays, marked undone; the alert returns to the queue,
   * claimed by this seat so its reviewer can decide again at once. Refused once published.
   * One write on the store port: the alert is locked first, so an undo and a decision (or a
   * claim) of the same alert take turns on every server of the database, and the claim, its
   * lease and what it gives back are the queue's own (takeClaimTx), announced after COMMIT.
   */
  undoDecision: (ctx, { alertId }) => {
    const { storePort, clock } = ctx.core;
    const who = actorName(ctx);
    const isAdmin = ctx.session.actor?.roles.includes('admin') ?? false;
    return storePort.write(async (tx) => {
      if (!(await tx.alerts.lock(alertId))) throw new UserError('not_found', `no alert ${alertId}`);
      const detail = await tx.alerts.detail(alertId);
      if (!detail) throw new UserError('not_found', `no alert ${alertId}`);
      const standing = detail.decisions.filter((d) => d.undoneUs === null).at(-1);
      if (detail.status !== 'decided' || !standing) throw new UserError('conflict', `alert ${alertId} has no decision to undo`);
      if (standing.decidedBy !== who && !isAdmin) throw new UserError('forbidden', `only ${standing.decidedBy} or an administrator can undo this decision`);
      if (await isPublished(tx, alertId))
        throw new UserError('conflict', `alert ${alertId} is published already: revise it (an Update goes to the agencies) instead of undoing it`);
      const now = clock.nowUs();
      // The alert's lock makes this the only undo of it in flight; the check stays as the row's own word.
      if (!(await tx.decisions.undo(standing.id, alertId, now))) throw new UserError('conflict', `alert ${alertId} has no decision to undo`);
      const undone: Decision = { ...standing, undoneUs: now };
      await tx.audit.append({
        atUs: now,
        actor: who,
        action: 'decision.undone',
        entity: `alert:${alertId}`,
        payload: { decisionId: standing.id, version: standing.version },
      });
      decisionUndone(tx, undone, who);
      ctx.core.sealedAlerts.decided(alertId, who); // whoever undoes a sealed decision has seen it
      // The lease read through the port, as claimAlert reads it: the same seat settings on every server.
      const { claimLeaseSeconds } = await readSeatSettingsTx(tx);
      const claim = await takeClaimTx(tx, ctx, alertId, now, claimLeaseSeconds * 1_000_000);
      const summary = await tx.alerts.summary(alertId);
      if (summary) tx.emit('alertChanged', { alert: summary });
      return { undone, claim };
    });
  },
};
