import { blindDetail } from '../audit/qa/blind-view.ts';
import { actorName, type Handlers } from '../core/handlers.ts';
import { UserError } from '../util/errors.ts';
import { announceIncident } from './announce.ts';
import { wgs84Location } from './facts.ts';
import { routeToAgencies } from './outbox.ts';
import { routeFor } from './routing.ts';
import { incidentView } from './views.ts';

export const incidentHandlers: Handlers<'previewRoute' | 'listIncidents' | 'getIncident' | 'listUnrouted' | 'routeIncident' | 'holdIncident'> = {
  previewRoute: ({ core, blind }, { alertId, class: cls }) => {
    const { store } = core;
    const detail = store.alerts.detail(alertId);
    if (!detail) throw new UserError('not_found', `no alert ${alertId}`);
    // A blind reviewer is answered as if nothing had been published: where this class would go
    // from the machine's location (a re-located fix would say what the first reviewer concluded).
    const incident = blind ? undefined : store.incidents.byAlert(alertId);
    if (incident) {
      const agencies = store.incidents.agencies(incident.id).map(({ id, name }) => ({ id, name }));
      return {
        outcome: 'already_published',
        agencies,
        status: incident.status,
        withheld: store.incidents.withheld(incident.id).map((w) => ({ id: w.agencyId, name: w.agencyName, reason: w.reason })),
        message:
          incident.state === 'cancelled'
            ? 'this incident was cancelled; nothing more is sent'
            : agencies.length
              ? `a change goes to ${agencies.map((a) => a.name).join(', ')} as an Update`
              : `published but not routed yet (${incident.state})`,
      };
    }
    const seen = blind ? blindDetail(detail) : detail;
    const route = routeFor(
      store,
      { coordinates: seen.coordinates, location: seen.coordinates === 'wgs84' ? wgs84Location(seen) : null, source: seen.source },
      cls,
    );
    return {
      outcome: route.outcome,
      agencies: route.agencies.map(({ id, name }) => ({ id, name })),
      status: route.status,
      withheld: route.withheld.map((w) => ({ id: w.agency.id, name: w.agency.name, reason: w.reason })),
      message: route.reason,
    };
  },

  listIncidents: ({ core }, { state, limit }) => {
    const now = core.clock.nowUs();
    return { incidents: core.store.incidents.list(state, limit).map((i) => incidentView(core.store, i, now)) };
  },

  getIncident: ({ core }, { incidentId, alertId }) => {
    const i = incidentId !== undefined ? core.store.incidents.get(incidentId) : core.store.incidents.byAlert(alertId!);
    if (!i) {
      if (incidentId !== undefined) throw new UserError('not_found', `no incident ${incidentId}`);
      return null;
    }
    return incidentView(core.store, i, core.clock.nowUs());
  },

  listUnrouted: ({ core }, { includeHeld }) => {
    const { store, clock } = core;
    const now = clock.nowUs();
    const list = [...store.incidents.list('unrouted', 1000), ...(includeHeld ? store.incidents.list('held', 1000) : [])];
    return {
      incidents: list.flatMap((i) => {
        const alert = store.alerts.summary(i.alertId);
        return alert ? [{ incident: incidentView(store, i, now), alert }] : [];
      }),
    };
  },

  routeIncident: (ctx, { incidentId, agencyIds }) => {
    const { store, clock } = ctx.core;
    const who = actorName(ctx);
    const now = clock.nowUs();
    const ids = [...new Set(agencyIds)];
    const deliveryIds = store.tx(() => {
      const incident = store.incidents.get(incidentId);
      if (!incident) throw new UserError('not_found', `no incident ${incidentId}`);
      if (incident.state === 'cancelled') throw new UserError('conflict', `incident ${incidentId} was cancelled`);
      for (const id of ids) {
        const a = store.agencies.get(id);
        if (!a || a.removedUs !== null) throw new UserError('invalid_input', `no agency ${id}`);
        if (!a.accepts.includes(incident.status)) {
          throw new UserError(
            'invalid_input',
            `${a.name} accepts only ${a.accepts.join(' and ')}: incident ${incidentId} is ${incident.status === 'Exercise' ? 'an Exercise' : `a ${incident.status}`}; nothing was routed`,
          );
        }
      }
      const queued = routeToAgencies(store, incident, ids, who, now);
      store.audit.append({
        atUs: now,
        actor: who,
        action: 'incident.routed',
        entity: `incident:${incidentId}`,
        payload: { agencyIds: ids, previousState: incident.state, deliveries: queued.length },
      });
      return queued;
    });
    announceIncident(ctx.core, incidentId, deliveryIds);
    return incidentView(store, store.incidents.get(incidentId)!, clock.nowUs());
  },

  holdIncident: (ctx, { incidentId, note }) => {
    const { store, clock } = ctx.core;
    const who = actorName(ctx);
    const now = clock.nowUs();
    store.tx(() => {
      const incident = store.incidents.get(incidentId);
      if (!incident) throw new UserError('not_found', `no incident ${incidentId}`);
      if (incident.state !== 'unrouted' && incident.state !== 'held') {
        throw new UserError('conflict', `incident ${incidentId} is ${incident.state}; only an unrouted incident can be held`);
      }
      store.incidents.setState(incidentId, 'held', now, { holdNote: note });
      store.audit.append({ atUs: now, actor: who, action: 'incident.held', entity: `incident:${incidentId}`, payload: { note } });
    });
    announceIncident(ctx.core, incidentId);
    return incidentView(store, store.incidents.get(incidentId)!, clock.nowUs());
  },
};
