import { sql, type Selectable } from 'kysely';
import type { DecisionClass, PublishFormat } from '../../contract/index.ts';
import type { AgencyQueries, AgencyRecord, CapStatusName } from '../../kernel/store-port.ts';
import type { AgenciesTable } from '../schema.ts';
import { changedOne, nocase, type QueryContext } from './context.ts';

const COLUMNS = [
  'id',
  'name',
  'classes_json',
  'accepts_json',
  'source_type',
  'min_lon',
  'min_lat',
  'max_lon',
  'max_lat',
  'polygons',
  'holes',
  'vertices',
  'created_us',
  'created_by',
  'updated_us',
  'updated_by',
  'removed_us',
  'jurisdiction_rev',
] as const;
type AgencyRow = Pick<Selectable<AgenciesTable>, (typeof COLUMNS)[number]>;

export function agencyQueries(ctx: QueryContext): AgencyQueries {
  const { db } = ctx;

  const endpoints = async (agencyId: number) =>
    (
      await db
        .selectFrom('agency_endpoints')
        .select(['id', 'url', 'format'])
        .where('agency_id', '=', agencyId)
        .where('retired_us', 'is', null)
        .orderBy('id')
        .execute()
    ).map((e) => ({ id: e.id, url: e.url, format: e.format as PublishFormat }));

  const toRecord = async (r: AgencyRow): Promise<AgencyRecord> => ({
    id: r.id,
    name: r.name,
    classes: JSON.parse(r.classes_json) as DecisionClass[],
    accepts: JSON.parse(r.accepts_json) as CapStatusName[],
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
    endpoints: await endpoints(r.id),
  });

  const insertEndpoint = async (agencyId: number, e: { url: string; format: PublishFormat; secret: string }) => {
    const { id } = await db
      .insertInto('agency_endpoints')
      .values({ agency_id: agencyId, url: e.url, format: e.format, secret: e.secret })
      .returning('id')
      .executeTakeFirstOrThrow();
    ctx.attested.mark('agency_endpoints', id);
    return id;
  };
  // Every change to an agency or endpoint is attested (attested.ts), whether or not it changed a row.
  const agency = (id: number) => ctx.attested.mark('agencies', id);
  const endpoint = (id: number) => ctx.attested.mark('agency_endpoints', id);

  return {
    async insert(a) {
      const [minLon, minLat, maxLon, maxLat] = a.bbox;
      const { id } = await db
        .insertInto('agencies')
        .values({
          name: a.name,
          classes_json: JSON.stringify(a.classes),
          accepts_json: JSON.stringify(a.accepts ?? ['Actual']),
          jurisdiction_json: a.jurisdictionJson,
          source_type: a.sourceType,
          min_lon: minLon,
          min_lat: minLat,
          max_lon: maxLon,
          max_lat: maxLat,
          polygons: a.polygons,
          holes: a.holes,
          vertices: a.vertices,
          created_us: a.createdUs,
          created_by: a.createdBy,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      agency(id);
      for (const e of a.endpoints) await insertEndpoint(id, e);
      return id;
    },
    async active() {
      const rows = await db
        .selectFrom('agencies')
        .select(COLUMNS)
        .where('removed_us', 'is', null)
        .orderBy(nocase(ctx, sql.ref('name')))
        .orderBy('id')
        .execute();
      const out: AgencyRecord[] = [];
      for (const r of rows) out.push(await toRecord(r));
      return out;
    },
    async get(id) {
      const r = await db.selectFrom('agencies').select(COLUMNS).where('id', '=', id).executeTakeFirst();
      return r ? toRecord(r) : undefined;
    },
    async activeIdByName(name) {
      return (
        await db
          .selectFrom('agencies')
          .select('id')
          .where(nocase(ctx, sql.ref('name')), '=', nocase(ctx, name))
          .where('removed_us', 'is', null)
          .executeTakeFirst()
      )?.id;
    },
    async jurisdictionJson(id) {
      return (await db.selectFrom('agencies').select('jurisdiction_json').where('id', '=', id).executeTakeFirst())?.jurisdiction_json;
    },
    async endpointForSending(endpointId) {
      const r = await db
        .selectFrom('agency_endpoints')
        .select(['id', 'url', 'format', 'secret', 'client_cert_pem', 'client_key_pem', 'ca_pem', 'proxy_url'])
        .where('id', '=', endpointId)
        .executeTakeFirst();
      return r
        ? {
            id: r.id,
            url: r.url,
            format: r.format as PublishFormat,
            secret: r.secret,
            clientCertPem: r.client_cert_pem,
            clientKeyPem: r.client_key_pem,
            caPem: r.ca_pem,
            proxyUrl: r.proxy_url,
          }
        : undefined;
    },
    async remove(id, atUs, by) {
      agency(id);
      return changedOne(
        await db.updateTable('agencies').set({ removed_us: atUs, removed_by: by }).where('id', '=', id).where('removed_us', 'is', null).executeTakeFirst(),
      );
    },
    async update(id, a) {
      agency(id);
      return changedOne(
        await db
          .updateTable('agencies')
          .set({
            name: a.name,
            classes_json: JSON.stringify(a.classes),
            ...(a.accepts ? { accepts_json: JSON.stringify(a.accepts) } : {}),
            updated_us: a.atUs,
            updated_by: a.by,
          })
          .where('id', '=', id)
          .where('removed_us', 'is', null)
          .executeTakeFirst(),
      );
    },
    async setJurisdiction(id, j) {
      const [minLon, minLat, maxLon, maxLat] = j.bbox;
      agency(id);
      return changedOne(
        await db
          .updateTable('agencies')
          .set((eb) => ({
            jurisdiction_json: j.jurisdictionJson,
            source_type: j.sourceType,
            min_lon: minLon,
            min_lat: minLat,
            max_lon: maxLon,
            max_lat: maxLat,
            polygons: j.polygons,
            holes: j.holes,
            vertices: j.vertices,
            jurisdiction_rev: eb('jurisdiction_rev', '+', 1),
          }))
          .where('id', '=', id)
          .where('removed_us', 'is', null)
          .executeTakeFirst(),
      );
    },
    addEndpoint: insertEndpoint,
    async retireEndpoint(agencyId, endpointId, atUs) {
      endpoint(endpointId);
      return changedOne(
        await db
          .updateTable('agency_endpoints')
          .set({ retired_us: atUs })
          .where('id', '=', endpointId)
          .where('agency_id', '=', agencyId)
          .where('retired_us', 'is', null)
          .executeTakeFirst(),
      );
    },
    async setEndpointSecret(agencyId, endpointId, secret) {
      endpoint(endpointId);
      return changedOne(
        await db
          .updateTable('agency_endpoints')
          .set({ secret })
          .where('id', '=', endpointId)
          .where('agency_id', '=', agencyId)
          .where('retired_us', 'is', null)
          .executeTakeFirst(),
      );
    },
  };
}
