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

export function settingsQueries(ctx: QueryContext): SettingsQueries {
  return {
    async get<T>(key: string): Promise<T | undefined> {
      const row = (await get(ctx, { key })).rows[0];
      return row ? (JSON.parse(row.value_json) as T) : undefined;
    },
    async put(key, value, atUs) {
      await put(ctx, { key, valueJson: JSON.stringify(value), atUs });
      ctx.attested.mark('settings', key);
    },
  };
}
