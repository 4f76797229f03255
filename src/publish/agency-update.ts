import type { MethodArgs } from '../contract/index.ts';
import { actorName, type Handlers } from '../kernel/handlers.ts';
import { NO_TLS, type AgencyRecord, type EndpointTls, type StoreTx, type StoredJurisdiction } from '../kernel/store-port.ts';
import type { PublishFormat } from '../contract/index.ts';
import { checkTls, redactProxy } from './endpoint-tls.ts';
import { sha256Hex } from '../util/canonical.ts';
import { UserError } from '../util/errors.ts';
import { announceDeliveriesTx } from './announce.ts';
import { checkEndpointUrl, checkFormat, checkSecret, redactUrl } from './endpoint-url.ts';
import { parseJurisdiction } from './geojson.ts';
import { agencyView } from './views.ts';

type Field = 'name' | 'classes' | 'accepts' | 'endpoints' | 'jurisdiction';
type EndpointPlan =
  | { kind: 'keep'; id: number; secret?: string; tls?: EndpointTls }
  | { kind: 'replace'; id: number; url: string; format: PublishFormat; secret?: string; tls: EndpointTls }
  | { kind: 'add'; url: string; format: PublishFormat; secret: string; tls: EndpointTls };

const TLS_KEYS = ['clientCertPem', 'clientKeyPem', 'caPem', 'proxy'] as const;

/** Checks every endpoint entry against the agency's endpoints in use, before anything is written. */
async function planEndpoints(tx: StoreTx, agency: AgencyRecord, given: NonNullable<MethodArgs<'updateAgency'>['endpoints']>): Promise<EndpointPlan[]> {
  const inUse = new Map(agency.endpoints.map((e) => [e.id, e]));
  const seen = new Set<number>();
  const plans: EndpointPlan[] = [];
  for (const [i, e] of given.entries()) {
    // The stored TLS options of a listed endpoint in use, read before the pure checks below.
    const stored = e.id !== undefined && inUse.has(e.id) ? await tx.agencies.endpointForSending(e.id) : undefined;
    plans.push(planEndpoint(e, i, agency, inUse, seen, stored));
  }
  return plans;
}

/** One entry's plan; pure, given what the agency holds. */
function planEndpoint(
  e: NonNullable<MethodArgs<'updateAgency'>['endpoints']>[number],
  i: number,
  agency: AgencyRecord,
  inUse: Map<number, AgencyRecord['endpoints'][number]>,
  seen: Set<number>,
  stored: EndpointTls | undefined,
): EndpointPlan {
  try {
    const secret = e.secret === undefined ? undefined : checkSecret(e.secret);
    if (e.id === undefined) {
      if (secret === undefined || e.url === undefined || e.format === undefined) throw new Error('a new endpoint needs url, format and secret');
      return { kind: 'add', url: checkEndpointUrl(e.url), format: checkFormat(e.format), secret, tls: checkTls(e, NO_TLS) };
    }
    const current = inUse.get(e.id);
    if (!current) throw new Error(`endpoint ${e.id} is not one of ${agency.name}'s endpoints in use`);
    if (seen.has(e.id)) throw new Error(`endpoint ${e.id} is listed twice`);
    seen.add(e.id);
    const url = e.url === undefined ? current.url : checkEndpointUrl(e.url);
    const format = checkFormat(e.format ?? current.format);
    const rotate = secret ? { secret } : {};
    const tls = checkTls(e, stored!);
    const tlsChanged = TLS_KEYS.some((k) => e[k] !== undefined) && JSON.stringify(tls) !== JSON.stringify(pickTls(stored!));
    return url === current.url && format === current.format
      ? { kind: 'keep', id: e.id, ...rotate, ...(tlsChanged ? { tls } : {}) }
      : { kind: 'replace', id: e.id, url, format, ...rotate, tls };
  } catch (err) {
    throw new UserError('invalid_input', `endpoint ${i + 1}: ${(err as Error).message}`);
  }
}

const pickTls = (t: EndpointTls): EndpointTls => ({ clientCertPem: t.clientCertPem, clientKeyPem: t.clientKeyPem, caPem: t.caPem, proxyUrl: t.proxyUrl });
const endpointsSummary = (a: AgencyRecord) =>
  a.endpoints.map((e) => ({
    id: e.id,
    url: redactUrl(e.url),
    format: e.format,
    mutualTls: e.mutualTls,
    privateCa: e.privateCa,
    proxy: redactProxy(e.proxyUrl),
  }));
const jurisdictionSummary = async (tx: StoreTx, a: AgencyRecord) => ({
  sha256: sha256Hex((await tx.agencies.jurisdictionJson(a.id)) ?? ''),
  polygons: a.polygons,
  holes: a.holes,
  vertices: a.vertices,
  bbox: a.bbox,
});

export const agencyUpdateHandlers: Handlers<'updateAgency'> = {
  /**
   * Changes an agency in place, in one write on the store port. Incidents already routed keep
   * their agencies (incident_agencies is not touched): only later routing follows a new
   * jurisdiction. A changed endpoint URL or format retires the old row and its queued deliveries
   * move to the new one; an endpoint left out is retired and its queued deliveries are cancelled.
   * Every check comes before the first change, so a refusal writes nothing.
   */
  updateAgency: async (ctx, input) => {
    const { storePort, clock } = ctx.core;
    const who = actorName(ctx);
    const result = await storePort.write(async (tx) => {
      // Agency changes take turns on every server of the database: each reads the endpoints in use
      // and the active names, then writes what follows from them. They are rare; one name serves.
      await tx.lock('agencies');
      const before = await tx.agencies.get(input.id);
      if (!before || before.removedUs !== null) throw new UserError('not_found', `no agency ${input.id}`);
      const parsed = input.geojson === undefined ? null : parseJurisdiction(input.geojson);
      const plan = input.endpoints ? await planEndpoints(tx, before, input.endpoints) : null;
      const name = input.name?.trim() ?? before.name;
      const classes = input.classes ? [...new Set(input.classes)] : before.classes;
      const accepts = input.accepts ? [...new Set(input.accepts)] : before.accepts;
      const geometryJson = parsed ? JSON.stringify(parsed.geometry) : null;

      const changed: Field[] = [];
      if (name !== before.name) changed.push('name');
      if (classes.length !== before.classes.length || classes.some((c, i) => c !== before.classes[i])) changed.push('classes');
      if (accepts.length !== before.accepts.length || accepts.some((c) => !before.accepts.includes(c))) changed.push('accepts');
      const retired = plan ? before.endpoints.filter((e) => !plan.some((p) => p.kind !== 'add' && p.id === e.id)) : [];
      if (plan && (retired.length > 0 || plan.some((p) => p.kind !== 'keep' || p.secret !== undefined || p.tls !== undefined))) changed.push('endpoints');
      if (geometryJson !== null && geometryJson !== (await tx.agencies.jurisdictionJson(before.id))) changed.push('jurisdiction');
      if (changed.length === 0) return { agency: before, changed, moved: [], cancelled: [] };
      const other = await tx.agencies.activeIdByName(name);
      if (other !== undefined && other !== before.id) throw new UserError('conflict', `there is already an agency named ${JSON.stringify(name)}`);

      const now = clock.nowUs();
      const was = {
        name: before.name,
        classes: before.classes,
        accepts: before.accepts,
        endpoints: endpointsSummary(before),
        jurisdiction: await jurisdictionSummary(tx, before),
      };
      await tx.agencies.update(before.id, { name, classes, accepts, atUs: now, by: who });
      if (parsed && changed.includes('jurisdiction')) {
        const j: StoredJurisdiction = {
          jurisdictionJson: geometryJson!,
          bbox: parsed.bbox,
          sourceType: parsed.sourceType,
          polygons: parsed.polygons,
          holes: parsed.holes,
          vertices: parsed.vertices,
        };
        await tx.agencies.setJurisdiction(before.id, j);
      }
      const moved: number[] = [];
      const cancelled: number[] = [];
      for (const p of plan ?? []) {
        if (p.kind === 'add') await tx.agencies.addEndpoint(before.id, p);
        else if (p.kind === 'keep') {
          if (p.secret) await tx.agencies.setEndpointSecret(before.id, p.id, p.secret);
          if (p.tls) await tx.agencies.setEndpointTls(before.id, p.id, p.tls);
        } else {
          const secret = p.secret ?? (await tx.agencies.endpointForSending(p.id))!.secret;
          const next = await tx.agencies.addEndpoint(before.id, { url: p.url, format: p.format, secret, tls: p.tls });
          await tx.agencies.retireEndpoint(before.id, p.id, now);
          moved.push(...(await tx.deliveries.movePending(p.id, next)));
        }
      }
      for (const e of retired) {
        await tx.agencies.retireEndpoint(before.id, e.id, now);
        cancelled.push(...(await tx.deliveries.cancelForEndpoint(e.id, `cancelled: ${who} removed the endpoint from ${before.name}`)));
      }
      const after = (await tx.agencies.get(before.id))!;
      await tx.audit.append({
        atUs: now,
        actor: who,
        action: 'agency.updated',
        entity: `agency:${before.id}`,
        // Never a secret: a rotation shows only as the endpoint in the list of rotated ones.
        payload: {
          changed,
          before: was,
          after: {
            name: after.name,
            classes: after.classes,
            accepts: after.accepts,
            endpoints: endpointsSummary(after),
            jurisdiction: await jurisdictionSummary(tx, after),
          },
          secretsRotated: (plan ?? []).flatMap((p) => (p.kind === 'keep' && p.secret ? [p.id] : [])),
          tlsChanged: (plan ?? []).flatMap((p) => (p.kind === 'keep' && p.tls ? [p.id] : [])),
          movedDeliveries: moved,
          cancelledDeliveries: cancelled,
        },
      });
      await announceDeliveriesTx(tx, [...moved, ...cancelled], now);
      return { agency: after, changed, moved, cancelled };
    });
    return { agency: agencyView(result.agency), changed: result.changed, movedDeliveries: result.moved.length, cancelledDeliveries: result.cancelled.length };
  },
};
