import type { Decision } from '../contract/index.ts';
import type { StoreTx } from '../kernel/store-port.ts';

/**
 * The seam between review and publishing: a decision can be undone until its incident is
 * published. Publishing (src/publish) writes the incident, its first message and one delivery
 * per agency in the decision's own transaction (a transactional outbox), so "published" means an
 * incident exists that some agency is to receive: from then on a change goes out as an Update or a
 * Cancel (publish's reviseDecision / cancelIncident), never as a silent undo. An incident no
 * agency holds yet (unrouted, waiting for an administrator) is not published: its decision may
 * still be undone, and the next decision on the alert updates it. Both run inside the undo's transaction.
 */
export async function isPublished(tx: StoreTx, alertId: number): Promise<boolean> {
  const incident = await tx.incidents.byAlert(alertId);
  if (!incident || incident.state === 'cancelled') return false;
  return (await tx.incidents.agencies(incident.id)).length > 0;
}

/** Called inside the undo's transaction, after the decision was marked undone. Nothing was sent, so nothing is withdrawn. */
export function decisionUndone(_tx: StoreTx, _decision: Decision, _actor: string): void {
  /* an unpublished incident keeps its last facts until the next decision updates it (publishDecisionTx) */
}
