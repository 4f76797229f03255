import type { Attestations } from './attested.ts';
import type { Db } from './db.ts';
import type { CapStatus, DecisionClass, PublishFormat } from '../contract/index.ts';

/** How an endpoint is reached beyond its URL. The client key is a secret, like the signing secret. */
export interface EndpointTls {
  clientCertPem: string | null;
  clientKeyPem: string | null;
  caPem: string | null;
  proxyUrl: string | null;
}

export const NO_TLS: EndpointTls = { clientCertPem: null, clientKeyPem: null, caPem: null, proxyUrl: null };

// The synchronous store's own shapes, ahead of the port's (src/kernel/queries), which gains
// these fields when the publishing services move to it.
export interface NewAgency {
  name: string;
  classes: DecisionClass[];
  /** The CAP statuses it accepts; a message of another status is withheld from it, with the reason. */
  accepts: CapStatus[];
  /** The validated jurisdiction, as GeoJSON MultiPolygon text. */
  jurisdictionJson: string;
  bbox: [number, number, number, number];
  sourceType: 'Polygon' | 'MultiPolygon';
  polygons: number;
  holes: number;
  vertices: number;
  endpoints: { url: string; format: PublishFormat; secret: string; tls?: EndpointTls }[];
  createdUs: number;
  createdBy: string;
}

/** An agency as stored, without its endpoints' secrets. */
export interface AgencyRecord {
  id: number;
  name: string;
  classes: DecisionClass[];
  accepts: CapStatus[];
  sourceType: 'Polygon' | 'MultiPolygon';
  polygons: number;
  holes: number;
  vertices: number;
  bbox: [number, number, number, number];
  createdUs: number;
  createdBy: string;
  updatedUs: number | null;
  updatedBy: string | null;
  removedUs: number | null;
  /** Grows by one each time the jurisdiction changes: parsed copies cached elsewhere compare it. */
  jurisdictionRev: number;
  /** The endpoints in use (retired ones stay in the table for the deliveries that went there). */
  endpoints: EndpointRecord[];
}

/** An endpoint as anyone may see it: whether TLS options are set, never the key (nor the certificate, which is kept like one). */
export interface EndpointRecord {
  id: number;
  url: string;
  format: PublishFormat;
  mutualTls: boolean;
  privateCa: boolean;
  proxyUrl: string | null;
}

/** A new or changed jurisdiction, validated, as stored. */
export type StoredJurisdiction = Pick<NewAgency, 'jurisdictionJson' | 'bbox' | 'sourceType' | 'polygons' | 'holes' | 'vertices'>;

/** What the delivery worker needs to send: the only read of a secret in the code base. */
export interface EndpointForSending extends EndpointTls {
  id: number;
  url: string;
  format: PublishFormat;
  secret: string;
}

interface AgencyRow {
  id: number;
  name: string;
  classes_json: string;
  accepts_json: string;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  polygons: number;
  holes: number;
  vertices: number;
  created_us: number;
  created_by: string;
  updated_us: number | null;
  updated_by: string | null;
  removed_us: number | null;
  jurisdiction_rev: number;
  source_type: string;
}

const SELECT = `SELECT id, name, classes_json, accepts_json, source_type, min_lon, min_lat, max_lon, max_lat, polygons, holes, vertices, created_us, created_by,
  updated_us, updated_by, removed_us, jurisdiction_rev FROM agencies`;

export function agencyQueries(db: Db, attested: Attestations) {
  const insert =
    db.prepare(`INSERT INTO agencies (name, classes_json, accepts_json, jurisdiction_json, source_type, min_lon, min_lat, max_lon, max_lat, polygons, holes,
    vertices, created_us, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertEndpoint = db.prepare(`INSERT INTO agency_endpoints (agency_id, url, format, secret, client_cert_pem, client_key_pem, ca_pem, proxy_url)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const active = db.prepare<[], AgencyRow>(`${SELECT} WHERE removed_us IS NULL ORDER BY name COLLATE NOCASE, id`);
  const byId = db.prepare<[number], AgencyRow>(`${SELECT} WHERE id = ?`);
  const activeByName = db.prepare<[string], { id: number }>('SELECT id FROM agencies WHERE name = ? COLLATE NOCASE AND removed_us IS NULL');
  const endpoints = db.prepare<[number], { id: number; url: string; format: PublishFormat; mtls: number; ca: number; proxy_url: string | null }>(
    `SELECT id, url, format, client_cert_pem IS NOT NULL AND client_key_pem IS NOT NULL AS mtls, ca_pem IS NOT NULL AS ca, proxy_url
     FROM agency_endpoints WHERE agency_id = ? AND retired_us IS NULL ORDER BY id`,
  );
  const jurisdiction = db.prepare<[number], { jurisdiction_json: string }>('SELECT jurisdiction_json FROM agencies WHERE id = ?');
  const forSending = db.prepare<[number], EndpointForSending>(`SELECT id, url, format, secret, client_cert_pem AS clientCertPem, client_key_pem AS clientKeyPem,
    ca_pem AS caPem, proxy_url AS proxyUrl FROM agency_endpoints WHERE id = ?`);
  const remove = db.prepare('UPDATE agencies SET removed_us = ?, removed_by = ? WHERE id = ? AND removed_us IS NULL');
  const rename = db.prepare(
    'UPDATE agencies SET name = ?, classes_json = ?, accepts_json = ?, updated_us = ?, updated_by = ? WHERE id = ? AND removed_us IS NULL',
  );
  const rebound =
    db.prepare(`UPDATE agencies SET jurisdiction_json = ?, source_type = ?, min_lon = ?, min_lat = ?, max_lon = ?, max_lat = ?, polygons = ?, holes = ?,
    vertices = ?, jurisdiction_rev = jurisdiction_rev + 1 WHERE id = ? AND removed_us IS NULL`);
  const retireEndpoint = db.prepare('UPDATE agency_endpoints SET retired_us = ? WHERE id = ? AND agency_id = ? AND retired_us IS NULL');
  const setSecret = db.prepare('UPDATE agency_endpoints SET secret = ? WHERE id = ? AND agency_id = ? AND retired_us IS NULL');
  const setTls = db.prepare(`UPDATE agency_endpoints SET client_cert_pem = ?, client_key_pem = ?, ca_pem = ?, proxy_url = ?
    WHERE id = ? AND agency_id = ? AND retired_us IS NULL`);

  const toRecord = (r: AgencyRow): AgencyRecord => ({
    id: r.id,
    name: r.name,
    classes: JSON.parse(r.classes_json) as DecisionClass[],
    accepts: JSON.parse(r.accepts_json) as CapStatus[],
    sourceType: r.source_type as AgencyRecord['sourceType'],
    polygons: r.polygons,
    holes: r.holes,
    vertices: r.vertices,
    bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat],
    createdUs: r.created_us,
    createdBy: r.created_by,
    updatedUs: r.updated_us,
    updatedBy: r.updated_by,
    removedUs: r.removed_us,
    jurisdictionRev: r.jurisdiction_rev,
    endpoints: endpoints
      .all(r.id)
      .map((e) => ({ id: e.id, url: e.url, format: e.format, mutualTls: e.mtls === 1, privateCa: e.ca === 1, proxyUrl: e.proxy_url })),
  });
  const addEndpointRow = (agencyId: number, e: { url: string; format: PublishFormat; secret: string; tls?: EndpointTls }): number => {
    const t = e.tls ?? NO_TLS;
    const id = Number(insertEndpoint.run(agencyId, e.url, e.format, e.secret, t.clientCertPem, t.clientKeyPem, t.caPem, t.proxyUrl).lastInsertRowid);
    attested.mark('agency_endpoints', id);
    return id;
  };

  return {
    /** Adds an agency with its endpoints; call inside a transaction. */
    insert(a: NewAgency): number {
      const id = Number(
        insert.run(
          a.name,
          JSON.stringify(a.classes),
          JSON.stringify(a.accepts),
          a.jurisdictionJson,
          a.sourceType,
          ...a.bbox,
          a.polygons,
          a.holes,
          a.vertices,
          a.createdUs,
          a.createdBy,
        ).lastInsertRowid,
      );
      attested.mark('agencies', id);
      for (const e of a.endpoints) addEndpointRow(id, e);
      return id;
    },
    active(): AgencyRecord[] {
      return active.all().map(toRecord);
    },
    get(id: number): AgencyRecord | undefined {
      const r = byId.get(id);
      return r ? toRecord(r) : undefined;
    },
    activeIdByName(name: string): number | undefined {
      return activeByName.get(name)?.id;
    },
    /** The stored jurisdiction: a GeoJSON MultiPolygon. */
    jurisdictionJson(id: number): string | undefined {
      return jurisdiction.get(id)?.jurisdiction_json;
    },
    endpointForSending(endpointId: number): EndpointForSending | undefined {
      return forSending.get(endpointId);
    },
    remove(id: number, atUs: number, by: string): boolean {
      attested.mark('agencies', id);
      return remove.run(atUs, by, id).changes === 1;
    },
    /** Sets name, classes and accepted statuses and stamps the change; call inside a transaction. */
    update(id: number, a: { name: string; classes: DecisionClass[]; accepts: CapStatus[]; atUs: number; by: string }): boolean {
      attested.mark('agencies', id);
      return rename.run(a.name, JSON.stringify(a.classes), JSON.stringify(a.accepts), a.atUs, a.by, id).changes === 1;
    },
    /** Replaces the jurisdiction and bumps its revision; call inside a transaction. */
    setJurisdiction(id: number, j: StoredJurisdiction): boolean {
      attested.mark('agencies', id);
      return rebound.run(j.jurisdictionJson, j.sourceType, ...j.bbox, j.polygons, j.holes, j.vertices, id).changes === 1;
    },
    addEndpoint(agencyId: number, e: { url: string; format: PublishFormat; secret: string; tls?: EndpointTls }): number {
      return addEndpointRow(agencyId, e);
    },
    /** Takes an endpoint out of use; its row stays for the deliveries that name it. */
    retireEndpoint(agencyId: number, endpointId: number, atUs: number): boolean {
      attested.mark('agency_endpoints', endpointId);
      return retireEndpoint.run(atUs, endpointId, agencyId).changes === 1;
    },
    /** A new signing key for an endpoint in use (a rotation): queued deliveries are signed with it. */
    setEndpointSecret(agencyId: number, endpointId: number, secret: string): boolean {
      attested.mark('agency_endpoints', endpointId);
      return setSecret.run(secret, endpointId, agencyId).changes === 1;
    },
    /** New TLS options for an endpoint in use (certificate, key, CA, proxy), as a whole. */
    setEndpointTls(agencyId: number, endpointId: number, t: EndpointTls): boolean {
      attested.mark('agency_endpoints', endpointId);
      return setTls.run(t.clientCertPem, t.clientKeyPem, t.caPem, t.proxyUrl, endpointId, agencyId).changes === 1;
    },
  };
}
