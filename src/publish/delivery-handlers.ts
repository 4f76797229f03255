import { actorName, type Handlers } from '../core/handlers.ts';
import { UserError } from '../util/errors.ts';
import { announceIncident } from './announce.ts';
import { attemptView, deliveryView, whyNotDelivered } from './views.ts';

export const deliveryHandlers: Handlers<'listDeliveries' | 'getDelivery' | 'retryDelivery'> = {
  listDeliveries: ({ core }, filter) => {
    const now = core.clock.nowUs();
    // The stored state has no "sending": it is a pending row under a live lease.
    const state = filter.state === 'sending' ? 'pending' : filter.state;
    const rows = core.store.deliveries.list({ ...filter, state }).map((d) => deliveryView(d, now));
    return { deliveries: filter.state ? rows.filter((d) => d.state === filter.state) : rows };
  },

  getDelivery: ({ core }, { id }) => {
    const d = core.store.deliveries.get(id);
    if (!d) throw new UserError('not_found', `no delivery ${id}`);
    const attempts = core.store.deliveries.attempts(id);
    const now = core.clock.nowUs();
    return { delivery: deliveryView(d, now), attempts: attempts.map(attemptView), why: whyNotDelivered(d, attempts, now) };
  },

  retryDelivery: (ctx, { id }) => {
    const { store, clock } = ctx.core;
    const who = actorName(ctx);
    const now = clock.nowUs();
    const d = store.tx(() => {
      const d = store.deliveries.get(id);
      if (!d) throw new UserError('not_found', `no delivery ${id}`);
      if (d.state === 'delivered') throw new UserError('conflict', `delivery ${id} was already delivered`);
      if (d.state === 'cancelled') throw new UserError('conflict', `delivery ${id} was cancelled (${d.lastError ?? 'agency removed'})`);
      if (!store.deliveries.retry(id, now)) throw new UserError('conflict', `delivery ${id} is being sent right now`);
      store.audit.append({
        atUs: now,
        actor: who,
        action: 'delivery.retried',
        entity: `incident:${d.incidentId}`,
        payload: { deliveryId: id, previousState: d.state, attempts: d.attempts },
      });
      return d;
    });
    announceIncident(ctx.core, d.incidentId, [id]);
    return deliveryView(store.deliveries.get(id)!, clock.nowUs());
  },
};
