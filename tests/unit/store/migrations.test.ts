import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../src/store/migrations/index.ts';

describe('the migrations', () => {
  it('each carry their step for both backends, with unique versions', () => {
    expect(MIGRATIONS.filter((m) => !m.sql && !m.up).map((m) => m.version)).toEqual([]);
    expect(MIGRATIONS.filter((m) => !m.postgres?.trim()).map((m) => `${m.version} ${m.name}`)).toEqual([]);
    expect(new Set(MIGRATIONS.map((m) => m.version)).size).toBe(MIGRATIONS.length);
  });

  it('keep every PostgreSQL text column comparing bytes, as SQLite does', () => {
    for (const m of MIGRATIONS) {
      const loose = m.postgres!.replace(/--.*$/gm, '').match(/\b\w+ TEXT\b(?! COLLATE "C")/g) ?? [];
      expect(loose, `migration ${m.version}`).toEqual([]);
    }
  });
});
