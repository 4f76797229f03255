import type { Db } from './db.ts';
import type { DecisionClass, PublishFormat } from '../contract/index.ts';

import type { AgencyRecord, EndpointForSending } from '../kernel/store-port.ts';

// The port's shapes (src/kernel/queries/agencies.ts) since the agency changes moved to it; the
// synchronous store keeps only the reads its remaining users need (routing for the decide bench's
// baseline, the delivery worker, outcome figures).
export type { AgencyRecord, EndpointForSending, EndpointRecord, EndpointTls } from '../kernel/store-port.ts';

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

export function agencyQueries(db: Db) {
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

  const toRecord = (r: AgencyRow): AgencyRecord => ({
    id: r.id,
    name: r.name,
    classes: JSON.parse(r.classes_json) as DecisionClass[],
    accepts: JSON.parse(r.accepts_json) as AgencyRecord['accepts'],
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

  return {
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
  };
}
