import { actorName, type Handlers } from '../kernel/handlers.ts';
import { UserError } from '../util/errors.ts';
import { announceIncidentTx } from './announce.ts';
import { attemptView, deliveryView, whyNotDelivered } from './views.ts';

/** The deliveries' listing, detail and an administrator's retry, on the store port: every server shows (and retries) what the database holds. */
export const deliveryHandlers: Handlers<'listDeliveries' | 'getDelivery' | 'retryDelivery'> = {
  listDeliveries: async ({ core }, filter) => {
    // The stored state has no "sending": it is a pending row under a live lease.
    const state = filter.state === 'sending' ? 'pending' : filter.state;
    const records = await core.storePort.read((tx) => tx.deliveries.list({ ...filter, state }));
    const now = core.clock.nowUs();
    const rows = records.map((d) => deliveryView(d, now));
    return { deliveries: filter.state ? rows.filter((d) => d.state === filter.state) : rows };
  },

  getDelivery: async ({ core }, { id }) => {
    const { d, attempts } = await core.storePort.read(async (tx) => ({ d: await tx.deliveries.get(id), attempts: await tx.deliveries.attempts(id) }));
    if (!d) throw new UserError('not_found', `no delivery ${id}`);
    const now = core.clock.nowUs();
    return { delivery: deliveryView(d, now), attempts: attempts.map(attemptView), why: whyNotDelivered(d, attempts, now) };
  },

  retryDelivery: async (ctx, { id }) => {
    const { storePort, clock } = ctx.core;
    const who = actorName(ctx);
    // The retry's guard (not delivered, not cancelled, under no lease) is in its UPDATE, so a worker
    // claiming it on another server at the same moment makes this a conflict, never a double send.
    return storePort.write(async (tx) => {
      const now = clock.nowUs();
      const d = await tx.deliveries.get(id);
      if (!d) throw new UserError('not_found', `no delivery ${id}`);
      if (d.state === 'delivered') throw new UserError('conflict', `delivery ${id} was already delivered`);
      if (d.state === 'cancelled') throw new UserError('conflict', `delivery ${id} was cancelled (${d.lastError ?? 'agency removed'})`);
      if (!(await tx.deliveries.retry(id, now))) throw new UserError('conflict', `delivery ${id} is being sent right now`);
      await tx.audit.append({
        atUs: now,
        actor: who,
        action: 'delivery.retried',
        entity: `incident:${d.incidentId}`,
        payload: { deliveryId: id, previousState: d.state, attempts: d.attempts },
      });
      // Announcing the incident wakes the worker on whichever server leads it.
      await announceIncidentTx(tx, d.incidentId, [id], now);
      return deliveryView((await tx.deliveries.get(id))!, now);
    });
  },
};
