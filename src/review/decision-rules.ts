import { isGunfire, NOT_GUNFIRE_CLASSES, type MethodArgs } from '../contract/index.ts';
import type { CallContext } from '../kernel/handlers.ts';
import { isLocalActor } from '../kernel/session.ts';
import type { WriteTx } from '../kernel/store-port.ts';
import { UserError } from '../util/errors.ts';

/** The round count and flags must agree with the class: a single shot is one round, flags describe gunfire. */
export function checkDecisionFits(input: Pick<MethodArgs<'decide'>, 'class' | 'rounds' | 'flags'>): void {
  if (input.class === 'gunfire_single' && input.rounds !== null && input.rounds !== 1) {
    throw new UserError('invalid_input', `a single shot is one round, not ${input.rounds}: choose multiple shots`);
  }
  if (input.class === 'gunfire_multiple' && input.rounds !== null && input.rounds < 2) {
    throw new UserError('invalid_input', 'multiple shots need at least two rounds');
  }
  const flagged = input.flags.fullyAutomatic || input.flags.multipleShooters;
  if (flagged && NOT_GUNFIRE_CLASSES.includes(input.class)) {
    throw new UserError('invalid_input', 'fully automatic fire and several shooters describe gunfire, not this class');
  }
  if (input.flags.fullyAutomatic && isGunfire(input.class) && input.rounds !== null && input.rounds < 2) {
    throw new UserError('invalid_input', 'fully automatic fire is more than one round');
  }
}

/**
 * A decision needs the seat to hold the alert's claim (the claim then ends, in the decision's
 * write, announced after it commits). A local actor (the CLI, a script: isLocalActor) decides
 * without one, but never over someone else's claim. The caller has locked the alert, so a claim
 * taken on another server waits for this write and finds the alert decided.
 */
export async function requireClaimTx(tx: WriteTx, ctx: Pick<CallContext, 'session'>, alertId: number, nowUs: number): Promise<void> {
  const claim = await tx.claims.activeOn(alertId, nowUs);
  if (claim?.seat === ctx.session.tag || (!claim && isLocalActor(ctx.session))) {
    await tx.claims.remove(alertId);
    tx.emit('claimChanged', { alertId, claim: null });
    return;
  }
  throw new UserError(
    'conflict',
    claim
      ? `${claim.by} is reviewing alert ${alertId}: it is not yours to decide`
      : `open alert ${alertId} for review first (its claim expired or was released)`,
    claim ? { claim } : undefined,
  );
}
