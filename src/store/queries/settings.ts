import type { SettingsQueries } from '../../kernel/store-port.ts';
import type { QueryContext } from './context.ts';
import { prepared, type Params } from './prepared.ts';

const get = prepared((ctx, p: Params<{ key: string }>) => ctx.db.selectFrom('settings').select('value_json').where('key', '=', p('key')));
const put = prepared((ctx, p: Params<{ key: string; valueJson: string; atUs: number }>) =>
  ctx.db
    .insertInto('settings')
    .values({ key: p('key'), value_json: p('valueJson'), updated_us: p('atUs') })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value_json: eb.ref('excluded.value_json'), updated_us: eb.ref('excluded.updated_us') }))),
);

/**
 * Made once per transaction, so a setting is read from the database once per transaction: a
 * decision reads the same few settings (delivery, QA, seat rules) in several services, and on
 * PostgreSQL each read is a round trip. What this transaction writes is what it then reads, and
 * a lock taken (read, lock, read again: the first of two servers to make a key) forgets the rest.
 */
export function settingsQueries(ctx: QueryContext): SettingsQueries & { forgetReads(): void } {
  const seen = new Map<string, string | null>();
  return {
    /** After a lock (tx.lock): another server may have written while this one waited, so read again. */
    forgetReads: () => seen.clear(),
    async get<T>(key: string): Promise<T | undefined> {
      if (!seen.has(key)) seen.set(key, (await get(ctx, { key })).rows[0]?.value_json ?? null);
      const json = seen.get(key);
      // Parsed again each time: callers get their own object, never one another caller changed.
      return json === null || json === undefined ? undefined : (JSON.parse(json) as T);
    },
    async put(key, value, atUs) {
      const valueJson = JSON.stringify(value);
      await put(ctx, { key, valueJson, atUs });
      seen.set(key, valueJson);
      ctx.attested.mark('settings', key);
    },
  };
}
