import type { SettingsQueries } from '../../kernel/store-port.ts';
import type { QueryContext } from './context.ts';

export function settingsQueries({ db }: QueryContext): SettingsQueries {
  return {
    async get<T>(key: string): Promise<T | undefined> {
      const row = await db.selectFrom('settings').select('value_json').where('key', '=', key).executeTakeFirst();
      return row ? (JSON.parse(row.value_json) as T) : undefined;
    },
    async put(key, value, atUs) {
      await db.insertInto('settings').values({ key, value_json: JSON.stringify(value), updated_us: atUs })
        .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value_json: eb.ref('excluded.value_json'), updated_us: eb.ref('excluded.updated_us') })))
        .execute();
    },
  };
}
