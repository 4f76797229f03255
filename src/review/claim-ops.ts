import { readSeatSettings } from '../accounts/seat-settings.ts';
import type { Claim } from '../contract/index.ts';
import { actorName, type CallContext } from '../core/handlers.ts';
import type { CoreServices } from '../core/services.ts';
import type { Session } from '../core/session.ts';
import type { WriteTx } from '../kernel/store-port.ts';
import type { ClaimHolder } from '../store/claims.ts';
import { UserError } from '../util/errors.ts';

/** Who a seat's claims name. */
export const holderOf = (session: Session): ClaimHolder => ({ accountId: session.accountId, by: session.actor?.name ?? 'nobody', seat: session.tag });

/** Tells every seat about claims that changed (after their transaction committed). */
export function announceClaims(core: Pick<CoreServices, 'events'>, released: readonly number[], taken: Claim | null = null): void {
  for (const alertId of released) if (alertId !== taken?.alertId) core.events.emit('claimChanged', { alertId, claim: null });
  if (taken) core.events.emit('claimChanged', { alertId: taken.alertId, claim: taken });
}

/**
 * Gives back every alert a seat holds (sign-out, lock, leaving) inside the caller's write, through
 * the store port where the queue's claims are: every seat, on every server of the database, sees
 * them free once it commits.
 */
export async function releaseSeatClaimsTx(tx: WriteTx, session: Session): Promise<number[]> {
  const released = await tx.claims.releaseSeat(session.tag);
  for (const alertId of released) tx.emit('claimChanged', { alertId, claim: null });
  return released;
}

/**
 * Takes one alert for this seat inside the caller's synchronous store.tx: what undo does as it
 * hands the alert back to its reviewer. The queue's own claims go through the store port
 * (takeClaimTx in queue-handlers.ts); this one goes when the decision domain moves there too.
 */
export function takeClaim(ctx: CallContext, alertId: number, nowUs: number): { claim: Claim; released: number[] } {
  const { store } = ctx.core;
  const status = store.decisions.statusOf(alertId);
  if (status === undefined) throw new UserError('not_found', `no alert ${alertId}`);
  if (status !== 'pending') throw new UserError('conflict', `alert ${alertId} is decided already`);
  const leaseUs = readSeatSettings(store).claimLeaseSeconds * 1_000_000;
  if (!store.claims.take(alertId, holderOf(ctx.session), nowUs, leaseUs)) {
    const holder = store.claims.activeOn(alertId, nowUs);
    throw new UserError('conflict', `${holder?.by ?? 'another reviewer'} is reviewing alert ${alertId}`, { claim: holder });
  }
  const released = store.claims.releaseSeat(ctx.session.tag, alertId);
  const claim = store.claims.get(alertId)!;
  store.audit.append({
    atUs: nowUs,
    actor: actorName(ctx),
    action: 'alert.claimed',
    entity: `alert:${alertId}`,
    payload: { seat: claim.seat, expiresUs: claim.expiresUs },
  });
  return { claim, released };
}
