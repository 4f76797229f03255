import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Core } from '../../src/core/core.ts';
import type { StoreProbe } from './store-probe.ts';
import { testProbe } from './test-core.ts';

/** Row counts of every table of a probe's database (found in the catalogue, so new tables are counted too). */
export async function probeTableCounts(probe: StoreProbe): Promise<Record<string, number>> {
  const names = (
    await probe.query<{ name: string }>(
      probe.backend === 'sqlite'
        ? "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        : 'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename',
    )
  ).map((r) => r.name);
  const out: Record<string, number> = {};
  for (const n of names) out[n] = Number((await probe.query<{ n: number }>(`SELECT count(*) AS n FROM "${n.replaceAll('"', '""')}"`))[0]!.n);
  return out;
}

/** Row counts of every table of the database a core (opened by test-core.ts) uses, on either backend. */
export async function tableCounts(core: Core): Promise<Record<string, number>> {
  return probeTableCounts(await testProbe(core.config.dataDir));
}

/** Every file under the clip store, temporary ones included. */
export function clipFiles(core: Core): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(core.clips.dir, p));
    }
  };
  walk(core.clips.dir);
  return out.sort();
}

/** What an import may change: all table counts and the clip store's files. */
export async function storeSnapshot(core: Core): Promise<{ tables: Record<string, number>; clips: string[] }> {
  return { tables: await tableCounts(core), clips: clipFiles(core) };
}

/**
 * Every table's rows, hashed per table (rows sorted as text, so a backend's physical order does
 * not count): what a refusal must not change. Bytes as hex on both backends.
 */
export async function probeTableHashes(probe: StoreProbe): Promise<string> {
  const names = (
    await probe.query<{ name: string }>(
      probe.backend === 'sqlite'
        ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        : 'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename',
    )
  ).map((r) => r.name);
  const out: string[] = [];
  for (const t of names) {
    const rows = (await probe.query(`SELECT * FROM "${t.replaceAll('"', '""')}"`)).map((r) =>
      JSON.stringify(r, (_k, v: unknown) => (v instanceof Buffer ? v.toString('hex') : v)),
    );
    out.push(`${t}:${rows.length}:${createHash('sha256').update(rows.sort().join('\n')).digest('hex')}`);
  }
  return out.join('\n');
}
