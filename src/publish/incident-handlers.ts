import { blindDetail } from '../audit/qa/blind-view.ts';
import { actorName, type Handlers } from '../kernel/handlers.ts';
import type { IncidentRecord, WriteTx } from '../kernel/store-port.ts';
import { UserError } from '../util/errors.ts';
import { announceIncidentTx } from './announce.ts';
import { wgs84Location } from './facts.ts';
import { routeToAgenciesTx } from './outbox-tx.ts';
import { routeForTx } from './routing.ts';
import { incidentViewTx } from './views.ts';

/**
 * The incident desk on the store port: reads are one read transaction each; an administrator's
 * routing and holding is one write that locks the incident's alert first (as decide, revisions,
 * cancellations and re-locations do, so a routing never misses a message another server is
 * adding) and reads the incident again under it, then announces the incident and its deliveries
 * with tx.emit, once, after COMMIT.
 */
async function lockedIncident(tx: WriteTx, incidentId: number): Promise<IncidentRecord> {
  const found = await tx.incidents.get(incidentId);
  if (!found) throw new UserError('not_found', `no incident ${incidentId}`);
  await tx.alerts.lock(found.alertId);
  return (await tx.incidents.get(incidentId))!;
}

export const incidentHandlers: Handlers<'previewRoute' | 'listIncidents' | 'getIncident' | 'listUnrouted' | 'routeIncident' | 'holdIncident'> = {
  previewRoute: ({ core, blind }, { alertId, class: cls }) =>
    core.storePort.read(async (tx) => {
      const detail = await tx.alerts.detail(alertId);
      if (!detail) throw new UserError('not_found', `no alert ${alertId}`);
      // A blind reviewer is answered as if nothing had been published: where this class would go
      // from the machine's location (a re-located fix would say what the first reviewer concluded).
      const incident = blind ? undefined : await tx.incidents.byAlert(alertId);
      if (incident) {
        const agencies = (await tx.incidents.agencies(incident.id)).map(({ id, name }) => ({ id, name }));
        return {
          outcome: 'already_published' as const,
          agencies,
          status: incident.status,
          withheld: (await tx.incidents.withheld(incident.id)).map((w) => ({ id: w.agencyId, name: w.agencyName, reason: w.reason })),
          message:
            incident.state === 'cancelled'
              ? 'this incident was cancelled; nothing more is sent'
              : agencies.length
                ? `a change goes to ${agencies.map((a) => a.name).join(', ')} as an Update`
                : `published but not routed yet (${incident.state})`,
        };
      }
      const seen = blind ? blindDetail(detail) : detail;
      const route = await routeForTx(
        tx,
        core.storePort,
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
    }),

  listIncidents: ({ core }, { state, limit }) =>
    core.storePort.read(async (tx) => {
      const now = core.clock.nowUs();
      const incidents = [];
      for (const i of await tx.incidents.list(state, limit)) incidents.push(await incidentViewTx(tx, i, now));
      return { incidents };
    }),

  getIncident: ({ core }, { incidentId, alertId }) =>
    core.storePort.read(async (tx) => {
      const i = incidentId !== undefined ? await tx.incidents.get(incidentId) : await tx.incidents.byAlert(alertId!);
      if (!i) {
        if (incidentId !== undefined) throw new UserError('not_found', `no incident ${incidentId}`);
        return null;
      }
      return incidentViewTx(tx, i, core.clock.nowUs());
    }),

  listUnrouted: ({ core }, { includeHeld }) =>
    core.storePort.read(async (tx) => {
      const now = core.clock.nowUs();
      const list = [...(await tx.incidents.list('unrouted', 1000)), ...(includeHeld ? await tx.incidents.list('held', 1000) : [])];
      const incidents = [];
      for (const i of list) {
        const alert = await tx.alerts.summary(i.alertId);
        if (alert) incidents.push({ incident: await incidentViewTx(tx, i, now), alert });
      }
      return { incidents };
    }),

  routeIncident: (ctx, { incidentId, agencyIds }) => {
    const { storePort, clock } = ctx.core;
    const who = actorName(ctx);
    const ids = [...new Set(agencyIds)];
    return storePort.write(async (tx) => {
      const incident = await lockedIncident(tx, incidentId);
      if (incident.state === 'cancelled') throw new UserError('conflict', `incident ${incidentId} was cancelled`);
      for (const id of ids) {
        const a = await tx.agencies.get(id);
        if (!a || a.removedUs !== null) throw new UserError('invalid_input', `no agency ${id}`);
        if (!a.accepts.includes(incident.status)) {
          throw new UserError(
            'invalid_input',
            `${a.name} accepts only ${a.accepts.join(' and ')}: incident ${incidentId} is ${incident.status === 'Exercise' ? 'an Exercise' : `a ${incident.status}`}; nothing was routed`,
          );
        }
      }
      const now = clock.nowUs();
      const queued = await routeToAgenciesTx(tx, incident, ids, who, now);
      await tx.audit.append({
        atUs: now,
        actor: who,
        action: 'incident.routed',
        entity: `incident:${incidentId}`,
        payload: { agencyIds: ids, previousState: incident.state, deliveries: queued.length },
      });
      await announceIncidentTx(tx, incidentId, queued, now);
      return incidentViewTx(tx, (await tx.incidents.get(incidentId))!, now);
    });
  },

  holdIncident: (ctx, { incidentId, note }) => {
    const { storePort, clock } = ctx.core;
    const who = actorName(ctx);
    return storePort.write(async (tx) => {
      const incident = await lockedIncident(tx, incidentId);
      if (incident.state !== 'unrouted' && incident.state !== 'held') {
        throw new UserError('conflict', `incident ${incidentId} is ${incident.state}; only an unrouted incident can be held`);
      }
      const now = clock.nowUs();
      await tx.incidents.setState(incidentId, 'held', now, { holdNote: note });
      await tx.audit.append({ atUs: now, actor: who, action: 'incident.held', entity: `incident:${incidentId}`, payload: { note } });
      await announceIncidentTx(tx, incidentId, [], now);
      return incidentViewTx(tx, (await tx.incidents.get(incidentId))!, now);
    });
  },
};
