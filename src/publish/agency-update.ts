import type { MethodArgs } from '../contract/index.ts';
import { actorName, type Handlers } from '../core/handlers.ts';
import { NO_TLS, type AgencyRecord, type EndpointTls, type StoredJurisdiction } from '../store/agencies.ts';
import type { PublishFormat } from '../contract/index.ts';
import { checkTls, redactProxy } from './endpoint-tls.ts';
import type { Store } from '../store/store.ts';
import { sha256Hex } from '../util/canonical.ts';
import { UserError } from '../util/errors.ts';
import { announceDeliveries } from './announce.ts';
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
function planEndpoints(store: Store, agency: AgencyRecord, given: NonNullable<MethodArgs<'updateAgency'>['endpoints']>): EndpointPlan[] {
  const inUse = new Map(agency.endpoints.map((e) => [e.id, e]));
  const seen = new Set<number>();
  return given.map((e, i): EndpointPlan => {
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
      const stored = store.agencies.endpointForSending(e.id)!;
      const tls = checkTls(e, stored);
      const tlsChanged = TLS_KEYS.some((k) => e[k] !== undefined) && JSON.stringify(tls) !== JSON.stringify(pickTls(stored));
      return url === current.url && format === current.format
        ? { kind: 'keep', id: e.id, ...rotate, ...(tlsChanged ? { tls } : {}) }
        : { kind: 'replace', id: e.id, url, format, ...rotate, tls };
    } catch (err) {
      throw new UserError('invalid_input', `endpoint ${i + 1}: ${(err as Error).message}`);
    }
  });
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
const jurisdictionSummary = (store: Store, a: AgencyRecord) => ({
  sha256: sha256Hex(store.agencies.jurisdictionJson(a.id) ?? ''),
  polygons: a.polygons,
  holes: a.holes,
  vertices: a.vertices,
  bbox: a.bbox,
});

export const agencyUpdateHandlers: Handlers<'updateAgency'> = {
  /**
   * Changes an agency in place. Incidents already routed keep their agencies (incident_agencies
   * is not touched): only later routing follows a new jurisdiction. A changed endpoint URL or
   * format retires the old row and its queued deliveries move to the new one; an endpoint left
   * out is retired and its queued deliveries are cancelled.
   */
  updateAgency: (ctx, input) => {
    const { store, clock } = ctx.core;
    const who = actorName(ctx);
    const before = store.agencies.get(input.id);
    if (!before || before.removedUs !== null) throw new UserError('not_found', `no agency ${input.id}`);
    // Everything is checked before the transaction: a refusal writes nothing.
    const parsed = input.geojson === undefined ? null : parseJurisdiction(input.geojson);
    const plan = input.endpoints ? planEndpoints(store, before, input.endpoints) : null;
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
    if (geometryJson !== null && geometryJson !== store.agencies.jurisdictionJson(before.id)) changed.push('jurisdiction');
    if (changed.length === 0) return { agency: agencyView(before), changed, movedDeliveries: 0, cancelledDeliveries: 0 };

    const now = clock.nowUs();
    const was = {
      name: before.name,
      classes: before.classes,
      accepts: before.accepts,
      endpoints: endpointsSummary(before),
      jurisdiction: jurisdictionSummary(store, before),
    };
    const { moved, cancelled } = store.tx(() => {
      const other = store.agencies.activeIdByName(name);
      if (other !== undefined && other !== before.id) throw new UserError('conflict', `there is already an agency named ${JSON.stringify(name)}`);
      if (!store.agencies.update(before.id, { name, classes, accepts, atUs: now, by: who }))
        throw new UserError('conflict', `agency ${before.id} was removed meanwhile`);
      if (parsed && changed.includes('jurisdiction')) {
        const j: StoredJurisdiction = {
          jurisdictionJson: geometryJson!,
          bbox: parsed.bbox,
          sourceType: parsed.sourceType,
          polygons: parsed.polygons,
          holes: parsed.holes,
          vertices: parsed.vertices,
        };
        store.agencies.setJurisdiction(before.id, j);
      }
      const moved: number[] = [];
      const cancelled: number[] = [];
      for (const p of plan ?? []) {
        if (p.kind === 'add') store.agencies.addEndpoint(before.id, p);
        else if (p.kind === 'keep') {
          if (p.secret) store.agencies.setEndpointSecret(before.id, p.id, p.secret);
          if (p.tls) store.agencies.setEndpointTls(before.id, p.id, p.tls);
        } else {
          const secret = p.secret ?? store.agencies.endpointForSending(p.id)!.secret;
          const next = store.agencies.addEndpoint(before.id, { url: p.url, format: p.format, secret, tls: p.tls });
          store.agencies.retireEndpoint(before.id, p.id, now);
          moved.push(...store.deliveries.movePending(p.id, next));
        }
      }
      for (const e of retired) {
        store.agencies.retireEndpoint(before.id, e.id, now);
        cancelled.push(...store.deliveries.cancelForEndpoint(e.id, `cancelled: ${who} removed the endpoint from ${before.name}`));
      }
      const after = store.agencies.get(before.id)!;
      store.audit.append({
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
            jurisdiction: jurisdictionSummary(store, after),
          },
          secretsRotated: (plan ?? []).flatMap((p) => (p.kind === 'keep' && p.secret ? [p.id] : [])),
          tlsChanged: (plan ?? []).flatMap((p) => (p.kind === 'keep' && p.tls ? [p.id] : [])),
          movedDeliveries: moved,
          cancelledDeliveries: cancelled,
        },
      });
      return { moved, cancelled };
    });
    announceDeliveries(ctx.core, [...moved, ...cancelled]);
    return { agency: agencyView(store.agencies.get(before.id)!), changed, movedDeliveries: moved.length, cancelledDeliveries: cancelled.length };
  },
};
