import { actorName, type Handlers } from '../kernel/handlers.ts';
import { sha256Hex } from '../util/canonical.ts';
import { UserError } from '../util/errors.ts';
import { NETWORK_SENSORS_MAX, type MultiPolygonCoordinates } from '../contract/index.ts';
import { announceDeliveriesTx } from './announce.ts';
import { NO_TLS } from '../kernel/store-port.ts';
import { checkTls, redactProxy } from './endpoint-tls.ts';
import { checkEndpointUrl, checkFormat, checkSecret, redactUrl } from './endpoint-url.ts';
import { parseJurisdiction } from './geojson.ts';
import { agencyView } from './views.ts';

/**
 * Adding, listing and removing agencies on the store port: reads one read each, each change one
 * write under the same tx.lock('agencies') as updateAgency (a name checked free stays free until
 * the write ends, on every server), announced with tx.emit after COMMIT.
 */
export const agencyHandlers: Handlers<'listAgencies' | 'listJurisdictions' | 'addAgency' | 'removeAgency'> = {
  listAgencies: ({ core }) => core.storePort.read(async (tx) => ({ agencies: (await tx.agencies.active()).map(agencyView) })),

  listJurisdictions: ({ core }) =>
    core.storePort.read(async (tx) => {
      const agencies = [];
      for (const a of await tx.agencies.active()) {
        const json = await tx.agencies.jurisdictionJson(a.id);
        const coordinates = json ? (JSON.parse(json) as { coordinates: MultiPolygonCoordinates }).coordinates : [];
        agencies.push({ id: a.id, name: a.name, coordinates });
      }
      const sensors = await tx.sensors.network(NETWORK_SENSORS_MAX + 1);
      return { agencies, sensors: sensors.slice(0, NETWORK_SENSORS_MAX), sensorsTruncated: sensors.length > NETWORK_SENSORS_MAX };
    }),

  addAgency: async (ctx, input) => {
    const { storePort, clock } = ctx.core;
    const who = actorName(ctx);
    // Everything is checked before the transaction: a refusal writes nothing.
    const j = parseJurisdiction(input.geojson);
    const endpoints = input.endpoints.map((e, i) => {
      try {
        return { url: checkEndpointUrl(e.url), format: checkFormat(e.format), secret: checkSecret(e.secret), tls: checkTls(e, NO_TLS) };
      } catch (err) {
        throw new UserError('invalid_input', `endpoint ${i + 1}: ${(err as Error).message}`);
      }
    });
    const name = input.name.trim();
    const classes = [...new Set(input.classes)];
    const accepts = [...new Set(input.accepts)];
    const geometryJson = JSON.stringify(j.geometry);
    return storePort.write(async (tx) => {
      await tx.lock('agencies');
      if ((await tx.agencies.activeIdByName(name)) !== undefined) throw new UserError('conflict', `there is already an agency named ${JSON.stringify(name)}`);
      const now = clock.nowUs();
      const id = await tx.agencies.insert({
        name,
        classes,
        accepts,
        jurisdictionJson: geometryJson,
        bbox: j.bbox,
        sourceType: j.sourceType,
        polygons: j.polygons,
        holes: j.holes,
        vertices: j.vertices,
        endpoints,
        createdUs: now,
        createdBy: who,
      });
      await tx.audit.append({
        atUs: now,
        actor: who,
        action: 'agency.added',
        entity: `agency:${id}`,
        // Never the secret: only where deliveries go, in what format, and which boundary (by hash) applies.
        payload: {
          name,
          classes,
          accepts,
          endpoints: endpoints.map((e) => ({
            url: redactUrl(e.url),
            format: e.format,
            mutualTls: e.tls.clientCertPem !== null,
            privateCa: e.tls.caPem !== null,
            proxy: redactProxy(e.tls.proxyUrl),
          })),
          jurisdiction: { sha256: sha256Hex(geometryJson), polygons: j.polygons, holes: j.holes, vertices: j.vertices, bbox: j.bbox },
        },
      });
      return agencyView((await tx.agencies.get(id))!);
    });
  },

  removeAgency: (ctx, { id }) => {
    const { storePort, clock } = ctx.core;
    const who = actorName(ctx);
    return storePort.write(async (tx) => {
      await tx.lock('agencies');
      const agency = await tx.agencies.get(id);
      if (!agency || agency.removedUs !== null) throw new UserError('not_found', `no agency ${id}`);
      const now = clock.nowUs();
      await tx.agencies.remove(id, now, who);
      const cancelled = await tx.deliveries.cancelForAgency(id, `cancelled: the agency was removed by ${who}`);
      await tx.audit.append({
        atUs: now,
        actor: who,
        action: 'agency.removed',
        entity: `agency:${id}`,
        payload: { name: agency.name, cancelledDeliveries: cancelled },
      });
      await announceDeliveriesTx(tx, cancelled, now);
      return { agency: agencyView(agency), cancelledDeliveries: cancelled.length };
    });
  },
};
