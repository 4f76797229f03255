import { compareUrgency, type Claim } from '../contract/index.ts';
import { actorName, type CallContext, type Handlers } from '../core/handlers.ts';
import { readSeatSettings } from '../accounts/seat-settings.ts';
import { seatState } from '../accounts/seat.ts';
import { UserError } from '../util/errors.ts';
import { announceClaims, holderOf } from './claim-ops.ts';

const leaseUs = (ctx: CallContext): number => readSeatSettings(ctx.core.store).claimLeaseSeconds * 1_000_000;

/**
 * Takes one alert for this seat, inside the caller's transaction: refuses a decided alert or one
 * another person holds; gives back whatever else the seat held. Returns the claim and the
 * alerts released.
 */
export function takeClaim(ctx: CallContext, alertId: number, nowUs: number): { claim: Claim; released: number[] } {
  const { store } = ctx.core;
  const status = store.decisions.statusOf(alertId);
  if (status === undefined) throw new UserError('not_found', `no alert ${alertId}`);
  if (status !== 'pending') throw new UserError('conflict', `alert ${alertId} is decided already`);
  if (!store.claims.take(alertId, holderOf(ctx.session), nowUs, leaseUs(ctx))) {
    const holder = store.claims.activeOn(alertId, nowUs);
    throw new UserError('conflict', `${holder?.by ?? 'another reviewer'} is reviewing alert ${alertId}`, { claim: holder });
  }
  const released = store.claims.releaseSeat(ctx.session.tag, alertId);
  const claim = store.claims.get(alertId)!;
  store.audit.append({ atUs: nowUs, actor: actorName(ctx), action: 'alert.claimed', entity: `alert:${alertId}`, payload: { seat: claim.seat, expiresUs: claim.expiresUs } });
  return { claim, released };
}

export const queueHandlers: Handlers<'getQueue' | 'claimAlert' | 'claimNext' | 'releaseClaim' | 'heartbeat'> = {
  getQueue: ({ core }, { limit }) => {
    const settings = readSeatSettings(core.store);
    const nowUs = core.clock.nowUs();
    const claims = new Map(core.store.claims.allActive(nowUs).map((c) => [c.alertId, c]));
    const alerts = core.store.alerts
      .list('pending', limit)
      .map((a) => ({ ...a, claim: claims.get(a.id) ?? null }))
      .sort(compareUrgency(settings, nowUs));
    return { alerts, settings, nowUs };
  },

  claimAlert: (ctx, { alertId }) => {
    const { claim, released } = ctx.core.store.tx(() => takeClaim(ctx, alertId, ctx.core.clock.nowUs()));
    announceClaims(ctx.core, released, claim);
    return claim;
  },

  claimNext: (ctx, { skip }) => {
    const { store, clock } = ctx.core;
    const settings = readSeatSettings(store);
    // One IMMEDIATE transaction from choosing to claiming: no other seat (nor another process on
    // the same store) can take the same alert in between.
    const taken = store.tx(() => {
      const nowUs = clock.nowUs();
      store.claims.prune(nowUs - 3600 * 1_000_000);
      const next = store.claims.next(settings, nowUs, skip);
      return next === undefined ? null : takeClaim(ctx, next, nowUs);
    });
    if (taken) announceClaims(ctx.core, taken.released, taken.claim);
    return { claim: taken?.claim ?? null };
  },

  releaseClaim: (ctx, { alertId }) => {
    const { store, clock } = ctx.core;
    const released = store.tx(() => {
      const c = store.claims.activeOn(alertId, clock.nowUs());
      return c?.seat === ctx.session.tag ? store.claims.remove(alertId) : false;
    });
    if (released) announceClaims(ctx.core, [alertId]);
    return { released };
  },

  heartbeat: (ctx, { active, alertId }) => {
    const { core, session } = ctx;
    const nowUs = core.clock.nowUs();
    if (active) session.lastActivityUs = nowUs;
    let claim: Claim | null = null;
    if (alertId !== null) {
      const renewed = core.store.claims.renew(alertId, session.tag, nowUs, leaseUs(ctx));
      claim = renewed ? (core.store.claims.get(alertId) ?? null) : null;
    }
    return { seat: seatState(core, session), claim };
  },
};
