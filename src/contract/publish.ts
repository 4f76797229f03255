import { z } from 'zod';
import { defineEvent, defineMethod } from './define.ts';
import { AlertSummary, Decision, DecisionFlags } from './alerts.ts';
import { Id, Micros } from './common.ts';
import { DECISION_CLASSES } from './taxonomy.ts';

/** The largest jurisdiction file accepted, in bytes: below the loopback host's 4 MiB body limit once JSON-escaped. */
export const GEOJSON_MAX_BYTES = 3 * 1024 * 1024;

/** CAP 1.2, our JSON document (earwitness-incident/2), or NENA EIDO (NENA-STA-021). */
export const PublishFormat = z.enum(['cap', 'json', 'eido']);
export type PublishFormat = z.infer<typeof PublishFormat>;
const DecisionClass = z.enum(DECISION_CLASSES);

/** CAP `status` of a message: Actual for live sources, Exercise or Test otherwise. */
export const CapStatus = z.enum(['Actual', 'Exercise', 'Test']);
export type CapStatus = z.infer<typeof CapStatus>;

/** A PEM text (certificate or key), at most 64 KiB. */
const Pem = z.string().max(64 * 1024, 'a PEM text may hold at most 64 KiB');
/** An HTTP(S) proxy URL, no credentials in it. */
const ProxyUrl = z.string().min(1).max(2048);

export const EndpointInput = z.object({
  /** http:// or https:// only, no user:password@, no #fragment. */
  url: z.string().min(1).max(2048),
  format: PublishFormat,
  /** The HMAC-SHA256 key shared with the agency. Written once, never read back. */
  secret: z.string().min(16, 'a signing secret needs at least 16 characters').max(512),
  /** Mutual TLS: the client certificate (PEM, the chain may follow) and its unencrypted private key (PEM); both or neither. Never read back. */
  clientCertPem: Pem.optional(),
  clientKeyPem: Pem.optional(),
  /** A private CA (PEM) the endpoint's certificate must chain to, instead of the system's. */
  caPem: Pem.optional(),
  /** Reach the endpoint through this HTTP proxy (http://host:port; CONNECT for https endpoints). */
  proxy: ProxyUrl.optional(),
});
export type EndpointInput = z.infer<typeof EndpointInput>;

/**
 * An endpoint as an admin edits it. With the id of one in use: only the id keeps it as it is, a
 * URL or format replaces it (the old row stays for past deliveries; queued ones move along), a
 * secret rotates its key. Without an id: a new endpoint, URL, format and secret all required.
 */
export const EndpointChange = z
  .object({
    id: Id.optional(),
    url: z.string().min(1).max(2048).optional(),
    format: PublishFormat.optional(),
    secret: z.string().min(16, 'a signing secret needs at least 16 characters').max(512).optional(),
    /** TLS options: a value sets it, null removes it, leaving it out keeps it. Certificate and key go together. */
    clientCertPem: Pem.nullable().optional(),
    clientKeyPem: Pem.nullable().optional(),
    caPem: Pem.nullable().optional(),
    proxy: ProxyUrl.nullable().optional(),
  })
  .refine(
    (e) => e.id !== undefined || (e.url !== undefined && e.format !== undefined && e.secret !== undefined),
    'a new endpoint needs url, format and secret',
  );
export type EndpointChange = z.infer<typeof EndpointChange>;

export const Endpoint = z.object({
  id: Id,
  /** The URL with query values replaced by "…" (they may hold tokens). */
  url: z.string(),
  format: PublishFormat,
  /** A client certificate and key are set (they are never shown). */
  mutualTls: z.boolean(),
  /** A private CA is set. */
  privateCa: z.boolean(),
  /** The proxy, if any (query values replaced by "…"). */
  proxy: z.string().nullable(),
});
export type Endpoint = z.infer<typeof Endpoint>;

export const JurisdictionSummary = z.object({
  type: z.enum(['Polygon', 'MultiPolygon']),
  polygons: z.number().int(),
  holes: z.number().int(),
  vertices: z.number().int(),
  /** [west, south, east, north] in degrees. */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
});

export const Agency = z.object({
  id: Id,
  name: z.string(),
  classes: z.array(DecisionClass),
  /** The CAP statuses it receives; a message of another status is withheld, with the reason on the incident. */
  accepts: z.array(CapStatus),
  endpoints: z.array(Endpoint),
  jurisdiction: JurisdictionSummary,
  createdUs: Micros,
  createdBy: z.string(),
  /** The last change by updateAgency, if any. */
  updatedUs: Micros.nullable(),
  updatedBy: z.string().nullable(),
});
export type Agency = z.infer<typeof Agency>;

const Position = z.tuple([z.number(), z.number()]);
/** GeoJSON MultiPolygon coordinates: polygons of rings (outer first, then holes) of closed [lon, lat] rings. */
export const MultiPolygonCoordinates = z.array(z.array(z.array(Position)));
export type MultiPolygonCoordinates = z.infer<typeof MultiPolygonCoordinates>;

export const NetworkSensor = z.object({ source: z.string(), sensorId: z.string(), lat: z.number(), lon: z.number(), alerts: z.number().int() });
export type NetworkSensor = z.infer<typeof NetworkSensor>;
/** At most this many sensors go on the jurisdiction map. */
export const NETWORK_SENSORS_MAX = 5000;

export const AgencyRef = z.object({ id: Id, name: z.string() });

export const IncidentState = z.enum(['routed', 'unrouted', 'held', 'cancelled']);
export const MsgType = z.enum(['Alert', 'Update', 'Cancel']);
export const Change = z.enum(['published', 'reclassified', 'rounds_corrected', 'flags_corrected', 'moved', 'cancelled', 'reinstated']);

export const IncidentMessage = z.object({
  id: Id,
  seq: z.number().int().min(1),
  msgType: MsgType,
  identifier: z.string(),
  sentUs: Micros,
  changes: z.array(Change),
  createdBy: z.string(),
});

export const Incident = z.object({
  id: Id,
  alertId: Id,
  state: IncidentState,
  /** The CAP status of all its messages, from its source's status when it was first published. */
  status: CapStatus,
  /** Why no jurisdiction held it (unrouted or held incidents). */
  unroutedReason: z.string().nullable(),
  holdNote: z.string().nullable(),
  createdUs: Micros,
  updatedUs: Micros,
  agencies: z.array(AgencyRef.extend({ how: z.enum(['jurisdiction', 'admin']) })),
  /** Agencies it was kept from because they do not accept its status, and why: nothing was queued for them. */
  withheld: z.array(z.object({ agency: AgencyRef, status: CapStatus, reason: z.string(), atUs: Micros })),
  messages: z.array(IncidentMessage),
  deliveries: z.object({
    pending: z.number().int(),
    sending: z.number().int(),
    delivered: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
  }),
});
export type Incident = z.infer<typeof Incident>;

export const DeliveryState = z.enum(['pending', 'sending', 'delivered', 'failed', 'cancelled']);

export const Delivery = z.object({
  id: Id,
  incidentId: Id,
  alertId: Id,
  seq: z.number().int(),
  msgType: MsgType,
  agency: AgencyRef,
  endpoint: Endpoint.pick({ id: true, url: true, format: true }),
  state: DeliveryState,
  idempotencyKey: z.string(),
  attempts: z.number().int(),
  createdUs: Micros,
  nextAttemptUs: Micros.nullable(),
  deliveredUs: Micros.nullable(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
});
export type Delivery = z.infer<typeof Delivery>;

export const DeliveryAttempt = z.object({
  attempt: z.number().int(),
  startedUs: Micros,
  finishedUs: Micros.nullable(),
  httpStatus: z.number().int().nullable(),
  latencyMs: z.number().nullable(),
  outcome: z.enum(['sending', 'delivered', 'retry', 'failed', 'interrupted']),
  error: z.string().nullable(),
  responseExcerpt: z.string().nullable(),
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

export const RoutePreview = z.object({
  /** routed: goes to `agencies`; unrouted: no jurisdiction holds it, an admin decides; not_published: no agency receives this class there; not_routable: the alert has no WGS84 location (research data in local metres); already_published: a change goes to the agencies that have it. */
  outcome: z.enum(['routed', 'unrouted', 'not_published', 'not_routable', 'already_published']),
  agencies: z.array(AgencyRef),
  /** The CAP status it would carry (from the alert's source), and agencies that would not get it for that status. */
  status: CapStatus,
  withheld: z.array(AgencyRef.extend({ reason: z.string() })),
  message: z.string(),
});
export type RoutePreview = z.infer<typeof RoutePreview>;

const ADMIN = ['admin'] as const;
const DECIDERS = ['reviewer', 'admin'] as const;

export const publishMethods = {
  listAgencies: defineMethod({
    seal: { none: true },
    summary: 'Agencies that receive incidents, with their endpoints (never their secrets) and jurisdiction outline.',
    input: z.object({}).default({}),
    output: z.object({ agencies: z.array(Agency) }),
  }),
  addAgency: defineMethod({
    seal: { none: true },
    summary:
      'Add an agency: a name, its jurisdiction as GeoJSON text (Polygon or MultiPolygon, WGS84), its endpoints (with TLS options), the decision classes and the CAP statuses it receives.',
    input: z.object({
      name: z.string().trim().min(1).max(200),
      geojson: z.string().max(GEOJSON_MAX_BYTES, `a jurisdiction file may hold at most ${GEOJSON_MAX_BYTES} bytes`),
      endpoints: z.array(EndpointInput).min(1).max(10),
      classes: z.array(DecisionClass).min(1).default(['gunfire_single', 'gunfire_multiple']),
      /** By default only Actual: a dispatch system that shows every message as real must never see a drill. */
      accepts: z.array(CapStatus).min(1).default(['Actual']),
    }),
    output: Agency,
    roles: ADMIN,
  }),
  updateAgency: defineMethod({
    seal: { none: true },
    summary:
      'Change an agency: name, decision classes, accepted statuses, endpoints (secrets, client keys and certificates kept unless given) or jurisdiction (GeoJSON text, checked as addAgency does). Incidents already routed keep their agencies; only later routing follows the new jurisdiction.',
    input: z.object({
      id: Id,
      name: z.string().trim().min(1).max(200).optional(),
      classes: z.array(DecisionClass).min(1).optional(),
      accepts: z.array(CapStatus).min(1).optional(),
      endpoints: z.array(EndpointChange).min(1).max(10).optional(),
      geojson: z.string().max(GEOJSON_MAX_BYTES, `a jurisdiction file may hold at most ${GEOJSON_MAX_BYTES} bytes`).optional(),
    }),
    output: z.object({
      agency: Agency,
      /** What differed from before; empty when the input matched the agency as it was (nothing is written then). */
      changed: z.array(z.enum(['name', 'classes', 'accepts', 'endpoints', 'jurisdiction'])),
      /** Queued deliveries moved to an endpoint's replacement, and those cancelled with a removed endpoint. */
      movedDeliveries: z.number().int(),
      cancelledDeliveries: z.number().int(),
    }),
    roles: ADMIN,
  }),
  listJurisdictions: defineMethod({
    seal: { none: true },
    summary: "Every agency's jurisdiction outline and the network's sensors (where their newest WGS84 alert put them), for the jurisdiction map.",
    input: z.object({}).default({}),
    output: z.object({
      agencies: z.array(z.object({ id: Id, name: z.string(), coordinates: MultiPolygonCoordinates })),
      sensors: z.array(NetworkSensor),
      /** True when the network has more sensors than NETWORK_SENSORS_MAX. */
      sensorsTruncated: z.boolean(),
    }),
  }),
  removeAgency: defineMethod({
    seal: { none: true },
    summary: 'Remove an agency: it receives nothing more, and its queued deliveries are cancelled.',
    input: z.object({ id: Id }),
    output: z.object({ agency: Agency, cancelledDeliveries: z.number().int() }),
    roles: ADMIN,
  }),
  previewRoute: defineMethod({
    seal: { blind: { alertId: 'alert' } },
    summary: 'Where a decision of this class on this alert would be published, shown to the reviewer before deciding.',
    input: z.object({ alertId: Id, class: DecisionClass }),
    output: RoutePreview,
    roles: DECIDERS,
  }),
  listIncidents: defineMethod({
    seal: { list: { items: 'incidents', alertAt: 'alertId', outsider: 'drop' } },
    summary: 'Published incidents, newest first, with per-state delivery counts.',
    input: z.object({
      state: z.enum(['routed', 'unrouted', 'held', 'cancelled', 'all']).default('all'),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    output: z.object({ incidents: z.array(Incident) }),
  }),
  getIncident: defineMethod({
    seal: { reads: { incidentId: 'incident', alertId: 'alert' } },
    summary: 'One incident, by its id or its alert id (null when that alert was never published).',
    input: z
      .object({ incidentId: Id.optional(), alertId: Id.optional() })
      .refine((v) => (v.incidentId === undefined) !== (v.alertId === undefined), 'give incidentId or alertId'),
    output: Incident.nullable(),
  }),
  listUnrouted: defineMethod({
    seal: { overseers: true },
    summary: 'Incidents no jurisdiction holds, waiting for an admin to route or hold them.',
    input: z.object({ includeHeld: z.boolean().default(false) }),
    output: z.object({ incidents: z.array(z.object({ incident: Incident, alert: AlertSummary })) }),
    roles: ADMIN,
  }),
  routeIncident: defineMethod({
    seal: { acts: { incidentId: 'incident' } },
    summary: 'Send an unrouted (or held) incident to the chosen agencies: every message of it so far, in order.',
    input: z.object({ incidentId: Id, agencyIds: z.array(Id).min(1).max(100) }),
    output: Incident,
    roles: ADMIN,
  }),
  holdIncident: defineMethod({
    seal: { acts: { incidentId: 'incident' } },
    summary: 'Keep an unrouted incident from every agency, with the reason.',
    input: z.object({ incidentId: Id, note: z.string().trim().min(1).max(2000) }),
    output: Incident,
    roles: ADMIN,
  }),
  listDeliveries: defineMethod({
    seal: { list: { items: 'deliveries', alertAt: 'alertId', outsider: 'drop' } },
    summary: 'Deliveries of one incident or to one agency, newest first.',
    input: z.object({
      incidentId: Id.optional(),
      agencyId: Id.optional(),
      state: DeliveryState.optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    output: z.object({ deliveries: z.array(Delivery) }),
  }),
  getDelivery: defineMethod({
    seal: { reads: { id: 'delivery' } },
    summary: 'One delivery with every attempt, and in words why it failed if it did.',
    input: z.object({ id: Id }),
    output: z.object({ delivery: Delivery, attempts: z.array(DeliveryAttempt), why: z.string().nullable() }),
  }),
  retryDelivery: defineMethod({
    seal: { acts: { id: 'delivery' } },
    summary: 'Send a failed (or waiting) delivery again now, with a fresh retry window; same body, same idempotency key.',
    input: z.object({ id: Id }),
    output: Delivery,
    roles: ADMIN,
  }),
  reviseDecision: defineMethod({
    seal: { acts: { alertId: 'alert' } },
    summary: 'Correct a decided alert (class, rounds, flags): a new decision version; if it was published, every agency that has it gets an Update.',
    input: z.object({
      alertId: Id,
      class: DecisionClass.optional(),
      rounds: z.number().int().min(0).max(1000).nullable().optional(),
      flags: DecisionFlags.optional(),
      notes: z.string().trim().min(1, 'say why the decision is revised').max(4000),
    }),
    output: z.object({ decision: Decision, incident: Incident.nullable() }),
    roles: DECIDERS,
  }),
  cancelIncident: defineMethod({
    seal: { acts: { incidentId: 'incident' } },
    summary: 'Withdraw a published incident: every agency that has it gets a Cancel referencing each earlier message.',
    input: z.object({ incidentId: Id, reason: z.string().trim().min(1).max(2000) }),
    output: Incident,
    roles: DECIDERS,
  }),
};

export const publishEvents = {
  incidentChanged: defineEvent({
    seal: { about: 'incident.alertId', outsider: 'drop' },
    summary: 'An incident was published, routed, held, revised or cancelled.',
    payload: z.object({ incident: Incident }),
  }),
  deliveryChanged: defineEvent({
    seal: { about: 'delivery.alertId', outsider: 'drop' },
    summary: 'A delivery was queued, started, delivered, retried, failed or cancelled.',
    payload: z.object({ delivery: Delivery }),
  }),
};
