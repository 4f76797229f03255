import type { PublishFormat } from '../../src/contract/index.ts';
import type { NewAgency, WriteTx } from '../../src/kernel/store-port.ts';
import { parseJurisdiction } from '../../src/publish/geojson.ts';
import { SECRET, squareJurisdiction } from './publish-fixtures.ts';
import { newAgency, seedAlerts, solutionBody, T0 } from './store-fixtures.ts';

/** Inside newAgency's default jurisdiction (the triangle -122/38, -121/38, -121/39). */
export const INSIDE = { lat: 38.3, lon: -121.3 };

/**
 * `count` alerts located inside one agency's jurisdiction, their source marked live: what a
 * confirmed gunfire needs to be published as Actual, written through the store port (either backend).
 * `agency` changes the agency (its endpoints: a test receiver's URL and secret).
 */
export async function seedPublishable(
  tx: WriteTx,
  count: number,
  from = 1,
  agency: Partial<NewAgency> = {},
): Promise<{ alertIds: number[]; agencyId: number }> {
  const agencyId = await tx.agencies.insert(newAgency('City Police', agency));
  await tx.sources.set('test-net', 'live', 'the city network', T0, 'admin');
  const alertIds = await seedAlerts(tx, count, from);
  for (const id of alertIds) await tx.alerts.addSolution(id, 'machine', 'locator', T0, solutionBody(2, INSIDE));
  return { alertIds, agencyId };
}

/**
 * An agency whose jurisdiction is a square around `at` (as addAgency in publish-fixtures.ts makes,
 * whose method is still on the synchronous store), written through the store port: either backend.
 */
export async function insertAgencyAround(
  tx: WriteTx,
  o: { name: string; at: { lat: number; lon: number }; half: number; url: string; format?: PublishFormat },
): Promise<number> {
  const parsed = parseJurisdiction(squareJurisdiction(o.at, o.half));
  return tx.agencies.insert(
    newAgency(o.name, {
      jurisdictionJson: JSON.stringify(parsed.geometry),
      bbox: parsed.bbox,
      sourceType: parsed.sourceType,
      polygons: parsed.polygons,
      holes: parsed.holes,
      vertices: parsed.vertices,
      endpoints: [{ url: o.url, format: o.format ?? 'cap', secret: SECRET }],
    }),
  );
}
