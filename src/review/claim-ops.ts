import type { Claim } from '../contract/index.ts';
import type { CoreServices } from '../core/services.ts';
import type { Session } from '../core/session.ts';
import type { ClaimHolder } from '../store/claims.ts';

/** Who a seat's claims name. */
export const holderOf = (session: Session): ClaimHolder => ({ accountId: session.accountId, by: session.actor?.name ?? 'nobody', seat: session.tag });

/** Tells every seat about claims that changed (after their transaction committed). */
export function announceClaims(core: Pick<CoreServices, 'events'>, released: readonly number[], taken: Claim | null = null): void {
  for (const alertId of released) if (alertId !== taken?.alertId) core.events.emit('claimChanged', { alertId, claim: null });
  if (taken) core.events.emit('claimChanged', { alertId: taken.alertId, claim: taken });
}

/** Gives back every alert a seat holds (sign-out, lock, leaving): the queue sees them free at once. */
export function releaseSeatClaims(core: Pick<CoreServices, 'store' | 'events'>, session: Session): number[] {
  const released = core.store.tx(() => core.store.claims.releaseSeat(session.tag));
  announceClaims(core, released);
  return released;
}
