import type { Attestations } from './attested.ts';
import type { Db } from './db.ts';
import type { DecisionClass, PublishFormat } from '../contract/index.ts';

import type { AgencyRecord, EndpointForSending, NewAgency, StoredJurisdiction } from '../kernel/queries/agencies.ts';

// Moved to the store port (src/kernel); re-exported while services move over.
export type { AgencyRecord, EndpointForSending, NewAgency, StoredJurisdiction } from '../kernel/queries/agencies.ts';

interface AgencyRow {
  id: number;
  name: string;
  classes_json: string;
  min_lon: number; min_lat: number; max_lon: number; max_lat: number;
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

const SELECT = `SELECT id, name, classes_json, source_type, min_lon, min_lat, max_lon, max_lat, polygons, holes, vertices, created_us, created_by,
  updated_us, updated_by, removed_us, jurisdiction_rev FROM agencies`;

export function agencyQueries(db: Db, attested: Attestations) {
  const insert = db.prepare(`INSERT INTO agencies (name, classes_json, jurisdiction_json, source_type, min_lon, min_lat, max_lon, max_lat, polygons, holes,
    vertices, created_us, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertEndpoint = db.prepare('INSERT INTO agency_endpoints (agency_id, url, format, secret) VALUES (?, ?, ?, ?)');
  const active = db.prepare<[], AgencyRow>(`${SELECT} WHERE removed_us IS NULL ORDER BY name COLLATE NOCASE, id`);
  const byId = db.prepare<[number], AgencyRow>(`${SELECT} WHERE id = ?`);
  const activeByName = db.prepare<[string], { id: number }>('SELECT id FROM agencies WHERE name = ? COLLATE NOCASE AND removed_us IS NULL');
  const endpoints = db.prepare<[number], { id: number; url: string; format: PublishFormat }>('SELECT id, url, format FROM agency_endpoints WHERE agency_id = ? AND retired_us IS NULL ORDER BY id');
  const jurisdiction = db.prepare<[number], { jurisdiction_json: string }>('SELECT jurisdiction_json FROM agencies WHERE id = ?');
  const forSending = db.prepare<[number], EndpointForSending>('SELECT id, url, format, secret FROM agency_endpoints WHERE id = ?');
  const remove = db.prepare('UPDATE agencies SET removed_us = ?, removed_by = ? WHERE id = ? AND removed_us IS NULL');
  const rename = db.prepare('UPDATE agencies SET name = ?, classes_json = ?, updated_us = ?, updated_by = ? WHERE id = ? AND removed_us IS NULL');
  const rebound = db.prepare(`UPDATE agencies SET jurisdiction_json = ?, source_type = ?, min_lon = ?, min_lat = ?, max_lon = ?, max_lat = ?, polygons = ?, holes = ?,
    vertices = ?, jurisdiction_rev = jurisdiction_rev + 1 WHERE id = ? AND removed_us IS NULL`);
  const retireEndpoint = db.prepare('UPDATE agency_endpoints SET retired_us = ? WHERE id = ? AND agency_id = ? AND retired_us IS NULL');
  const setSecret = db.prepare('UPDATE agency_endpoints SET secret = ? WHERE id = ? AND agency_id = ? AND retired_us IS NULL');

  const toRecord = (r: AgencyRow): AgencyRecord => ({
    id: r.id,
    name: r.name,
    classes: JSON.parse(r.classes_json) as DecisionClass[],
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
    endpoints: endpoints.all(r.id),
  });

  return {
    /** Adds an agency with its endpoints; call inside a transaction. */
    insert(a: NewAgency): number {
      const id = Number(insert.run(a.name, JSON.stringify(a.classes), a.jurisdictionJson, a.sourceType, ...a.bbox, a.polygons, a.holes, a.vertices, a.createdUs, a.createdBy).lastInsertRowid);
      attested.mark('agencies', id);
      for (const e of a.endpoints) attested.mark('agency_endpoints', Number(insertEndpoint.run(id, e.url, e.format, e.secret).lastInsertRowid));
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
    /** Sets name and classes and stamps the change; call inside a transaction. */
    update(id: number, a: { name: string; classes: DecisionClass[]; atUs: number; by: string }): boolean {
      attested.mark('agencies', id);
      return rename.run(a.name, JSON.stringify(a.classes), a.atUs, a.by, id).changes === 1;
    },
    /** Replaces the jurisdiction and bumps its revision; call inside a transaction. */
    setJurisdiction(id: number, j: StoredJurisdiction): boolean {
      attested.mark('agencies', id);
      return rebound.run(j.jurisdictionJson, j.sourceType, ...j.bbox, j.polygons, j.holes, j.vertices, id).changes === 1;
    },
    addEndpoint(agencyId: number, e: { url: string; format: PublishFormat; secret: string }): number {
      const id = Number(insertEndpoint.run(agencyId, e.url, e.format, e.secret).lastInsertRowid);
      attested.mark('agency_endpoints', id);
      return id;
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
  };
}
