import type { Claim } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import type { Session } from '../kernel/session.ts';
import type { WriteTx } from '../kernel/store-port.ts';
import type { ClaimHolder } from '../store/claims.ts';

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
export async function releaseSeatClaimsTx(tx: WriteTx, seat: Session | string): Promise<number[]> {
  const released = await tx.claims.releaseSeat(typeof seat === 'string' ? seat : seat.tag);
  for (const alertId of released) tx.emit('claimChanged', { alertId, claim: null });
  return released;
}
