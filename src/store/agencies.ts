import type { Db } from './db.ts';
import type { DecisionClass, PublishFormat } from '../contract/index.ts';

export interface NewAgency {
  name: string;
  classes: DecisionClass[];
  /** The validated jurisdiction, as GeoJSON MultiPolygon text. */
  jurisdictionJson: string;
  bbox: [number, number, number, number];
  sourceType: 'Polygon' | 'MultiPolygon';
  polygons: number;
  holes: number;
  vertices: number;
  endpoints: { url: string; format: PublishFormat; secret: string }[];
  createdUs: number;
  createdBy: string;
}

/** An agency as stored, without its endpoints' secrets. */
export interface AgencyRecord {
  id: number;
  name: string;
  classes: DecisionClass[];
  sourceType: 'Polygon' | 'MultiPolygon';
  polygons: number;
  holes: number;
  vertices: number;
  bbox: [number, number, number, number];
  createdUs: number;
  createdBy: string;
  removedUs: number | null;
  endpoints: { id: number; url: string; format: PublishFormat }[];
}

/** What the delivery worker needs to send: the only read of a secret in the code base. */
export interface EndpointForSending {
  id: number;
  url: string;
  format: PublishFormat;
  secret: string;
}

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
  removed_us: number | null;
  source_type: string;
}

const SELECT = `SELECT id, name, classes_json, source_type, min_lon, min_lat, max_lon, max_lat, polygons, holes, vertices, created_us, created_by, removed_us
  FROM agencies`;

export function agencyQueries(db: Db) {
  const insert = db.prepare(`INSERT INTO agencies (name, classes_json, jurisdiction_json, source_type, min_lon, min_lat, max_lon, max_lat, polygons, holes,
    vertices, created_us, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertEndpoint = db.prepare('INSERT INTO agency_endpoints (agency_id, url, format, secret) VALUES (?, ?, ?, ?)');
  const active = db.prepare<[], AgencyRow>(`${SELECT} WHERE removed_us IS NULL ORDER BY name COLLATE NOCASE, id`);
  const byId = db.prepare<[number], AgencyRow>(`${SELECT} WHERE id = ?`);
  const activeByName = db.prepare<[string], { id: number }>('SELECT id FROM agencies WHERE name = ? COLLATE NOCASE AND removed_us IS NULL');
  const endpoints = db.prepare<[number], { id: number; url: string; format: PublishFormat }>('SELECT id, url, format FROM agency_endpoints WHERE agency_id = ? ORDER BY id');
  const jurisdiction = db.prepare<[number], { jurisdiction_json: string }>('SELECT jurisdiction_json FROM agencies WHERE id = ?');
  const forSending = db.prepare<[number], EndpointForSending>('SELECT id, url, format, secret FROM agency_endpoints WHERE id = ?');
  const remove = db.prepare('UPDATE agencies SET removed_us = ?, removed_by = ? WHERE id = ? AND removed_us IS NULL');

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
    removedUs: r.removed_us,
    endpoints: endpoints.all(r.id),
  });

  return {
    /** Adds an agency with its endpoints; call inside a transaction. */
    insert(a: NewAgency): number {
      const id = Number(insert.run(a.name, JSON.stringify(a.classes), a.jurisdictionJson, a.sourceType, ...a.bbox, a.polygons, a.holes, a.vertices, a.createdUs, a.createdBy).lastInsertRowid);
      for (const e of a.endpoints) insertEndpoint.run(id, e.url, e.format, e.secret);
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
      return remove.run(atUs, by, id).changes === 1;
    },
  };
}
