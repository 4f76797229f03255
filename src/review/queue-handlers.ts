import { compareUrgency, type Claim } from '../contract/index.ts';
import { actorName, type CallContext, type Handlers } from '../kernel/handlers.ts';
import type { WriteTx } from '../kernel/store-port.ts';
import { readSeatSettingsTx } from '../accounts/seat-settings.ts';
import { saveActivity } from '../accounts/resume.ts';
import { seatState } from '../accounts/seat.ts';
import { UserError } from '../util/errors.ts';
import { holderOf } from './claim-ops.ts';

/** Claims not renewed for an hour are gone for good (an expired claim already holds nothing back). */
const PRUNE_AFTER_US = 3600 * 1_000_000;

/**
 * Takes one alert for this seat through the store port, inside the caller's write: refuses a
 * decided alert or one another person holds; gives back whatever else the seat held, and
 * announces both after COMMIT (to every server on the database, with PostgreSQL). On PostgreSQL
 * the alert's row is locked first, as a decision locks it, so a claim and a decision of the same
 * alert take turns; `claims.take` stays the arbiter between seats.
 */
export async function takeClaimTx(tx: WriteTx, ctx: CallContext, alertId: number, nowUs: number, leaseUs: number): Promise<Claim> {
  if (!(await tx.alerts.lock(alertId))) throw new UserError('not_found', `no alert ${alertId}`);
  const status = await tx.decisions.statusOf(alertId);
  if (status === undefined) throw new UserError('not_found', `no alert ${alertId}`);
  if (status !== 'pending') throw new UserError('conflict', `alert ${alertId} is decided already`);
  if (!(await tx.claims.take(alertId, holderOf(ctx.session), nowUs, leaseUs))) {
    const holder = await tx.claims.activeOn(alertId, nowUs);
    throw new UserError('conflict', `${holder?.by ?? 'another reviewer'} is reviewing alert ${alertId}`, { claim: holder });
  }
  const released = await tx.claims.releaseSeat(ctx.session.tag, alertId);
  const claim = (await tx.claims.get(alertId))!;
  await tx.audit.append({
    atUs: nowUs,
    actor: actorName(ctx),
    action: 'alert.claimed',
    entity: `alert:${alertId}`,
    payload: { seat: claim.seat, expiresUs: claim.expiresUs },
  });
  for (const id of released) tx.emit('claimChanged', { alertId: id, claim: null });
  tx.emit('claimChanged', { alertId, claim });
  return claim;
}

/** The queue's handlers run on the asynchronous store port (src/kernel/store-port.ts), so servers sharing a PostgreSQL database share one queue. */
export const queueHandlers: Handlers<'getQueue' | 'claimAlert' | 'claimNext' | 'releaseClaim' | 'heartbeat'> = {
  getQueue: ({ core }, { limit }) =>
    core.storePort.read(async (tx) => {
      const settings = await readSeatSettingsTx(tx);
      const nowUs = core.clock.nowUs();
      const claims = new Map((await tx.claims.allActive(nowUs)).map((c) => [c.alertId, c]));
      const alerts = (await tx.alerts.list('pending', limit)).map((a) => ({ ...a, claim: claims.get(a.id) ?? null })).sort(compareUrgency(settings, nowUs));
      return { alerts, settings, nowUs };
    }),

  claimAlert: (ctx, { alertId }) =>
    ctx.core.storePort.write(async (tx) => {
      const settings = await readSeatSettingsTx(tx);
      return takeClaimTx(tx, ctx, alertId, ctx.core.clock.nowUs(), settings.claimLeaseSeconds * 1_000_000);
    }),

  claimNext: async (ctx, { skip }) => {
    const { storePort, clock } = ctx.core;
    // One write from choosing to claiming: SQLite holds its write lock throughout; PostgreSQL
    // locks the chosen alert (FOR UPDATE SKIP LOCKED), so seats on every server choose apart.
    const claim = await storePort.write(async (tx) => {
      const settings = await readSeatSettingsTx(tx);
      const nowUs = clock.nowUs();
      await tx.claims.prune(nowUs - PRUNE_AFTER_US);
      const next = await tx.claims.next(settings, nowUs, skip);
      return next === undefined ? null : takeClaimTx(tx, ctx, next, nowUs, settings.claimLeaseSeconds * 1_000_000);
    });
    return { claim };
  },

  releaseClaim: async (ctx, { alertId }) => {
    const released = await ctx.core.storePort.write(async (tx) => {
      const c = await tx.claims.activeOn(alertId, ctx.core.clock.nowUs());
      const removed = c?.seat === ctx.session.tag && (await tx.claims.remove(alertId));
      if (removed) tx.emit('claimChanged', { alertId, claim: null });
      return removed;
    });
    return { released };
  },

  heartbeat: async (ctx, { active, alertId }) => {
    const { core, session } = ctx;
    const nowUs = core.clock.nowUs();
    if (active) {
      session.lastActivityUs = nowUs;
      saveActivity(core, session, nowUs);
    }
    let claim: Claim | null = null;
    if (alertId !== null) {
      claim = await core.storePort.write(async (tx) => {
        const { claimLeaseSeconds } = await readSeatSettingsTx(tx);
        return (await tx.claims.renew(alertId, session.tag, nowUs, claimLeaseSeconds * 1_000_000)) ? ((await tx.claims.get(alertId)) ?? null) : null;
      });
    }
    return { seat: await seatState(core, session), claim };
  },
};
