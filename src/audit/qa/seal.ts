import type { Actor } from '../../kernel/session.ts';
import type { StoreTx } from '../../kernel/store-port.ts';
import { UserError } from '../../util/errors.ts';

/**
 * The blind-review rule, checked in the core for every method and event:
 *
 * An alert selected for QA is *sealed* until its blind second review is in. While sealed, its
 * decisions (and anything that shows them) are visible only to insiders: the people who made,
 * revised or undid a decision on it, and auditors or admins. An auditor or admin who opens a
 * sealed decision is recorded (qa.seal_opened) and is no longer blind to it. Everyone else is
 * an outsider and sees the alert as if undecided; only an outsider who is a reviewer may give
 * the blind review.
 */
export type SealStanding = 'unsealed' | 'decider' | 'overseer' | 'outsider';

export async function sealStandingTx(tx: StoreTx, actor: Actor, alertId: number, sealed: ReadonlySet<number>): Promise<SealStanding> {
  if (!sealed.has(alertId)) return 'unsealed';
  if ((await tx.auditReads.decisionActors(alertId)).has(actor.name)) return 'decider';
  if (actor.roles.includes('auditor') || actor.roles.includes('admin')) return 'overseer';
  return 'outsider';
}

/** Who may give the blind review of a sealed alert: a reviewer who never saw its decision. */
export async function assertBlindReviewerTx(tx: StoreTx, actor: Actor, alertId: number): Promise<void> {
  const sample = await tx.qa.sample(alertId);
  if (!sample || !sample.selected) throw new UserError('not_found', `alert ${alertId} is not selected for QA review`);
  if (sample.state !== 'open') throw new UserError('conflict', `the QA review of alert ${alertId} is already done`);
  if ((await tx.auditReads.decisionActors(alertId)).has(actor.name)) {
    throw new UserError('forbidden', `${actor.name} decided alert ${alertId}: its QA review must come from another reviewer`);
  }
  if ((await tx.qa.sealViewers(alertId)).includes(actor.name)) {
    throw new UserError('forbidden', `${actor.name} has seen the decision of alert ${alertId}, so cannot review it blind`);
  }
}
