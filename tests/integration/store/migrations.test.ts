import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, schemaVersion } from '../../../src/store/db.ts';
import { MIGRATIONS } from '../../../src/store/migrations/index.ts';
import type { Migration } from '../../../src/store/migrations/types.ts';
import { tempDir } from '../../support/temp.ts';

describe('migrations', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('upgrades a file written by the first schema in place, keeping its rows', () => {
    const file = join(tmp.dir, 'old.sqlite');
    const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, 1) });
    old.prepare("INSERT INTO settings (key, value_json, updated_us) VALUES ('k', '1', 1)").run();
    old.prepare(`INSERT INTO alerts (source, external_id, format, detected_us, imported_us, coordinates) VALUES ('s', 'a', 'f', 1, 2, 'local')`).run();
    old.close();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    expect(db.prepare('SELECT external_id FROM alerts').pluck().all()).toEqual(['a']);
    expect(db.prepare("SELECT value_json FROM settings WHERE key = 'k'").pluck().get()).toBe('1');
    db.close();
  });

  it('leaves the file at its old version when a migration fails', () => {
    const file = join(tmp.dir, 'fail.sqlite');
    openDatabase(file).close();
    const before = join(tmp.dir, 'before.sqlite');
    copyFileSync(file, before);
    const broken: Migration = { version: 999, name: 'broken', sql: 'CREATE TABLE half (x INTEGER); SELECT no_such_function();' };
    expect(() => openDatabase(file, { migrations: [...MIGRATIONS, broken] })).toThrow();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a file from a newer Earwitness instead of guessing', () => {
    const file = join(tmp.dir, 'new.sqlite');
    const db = openDatabase(file);
    db.pragma('user_version = 10000');
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer Earwitness/);
  });

  it('refuses two migrations with one version', () => {
    expect(() => openDatabase(join(tmp.dir, 'dup.sqlite'), { migrations: [MIGRATIONS[0]!, { ...MIGRATIONS[0]!, name: 'again' }] })).toThrow(/share version/);
  });

  it('makes the audit log append-only', () => {
    const db = openDatabase(join(tmp.dir, 'audit.sqlite'));
    db.prepare(`INSERT INTO audit_log (seq, at_us, actor, action, entity, payload_json, prev_hash, hash) VALUES (1, 1, 'a', 'x', 'e', '{}', ?, ?)`).run(
      '0'.repeat(64),
      'f'.repeat(64),
    );
    expect(() => db.prepare("UPDATE audit_log SET actor = 'b'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    db.close();
  });
});

describe('migrations merged from parallel work', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('applies a lower-numbered step that arrived after a higher one', () => {
    const file = join(tmp.dir, 'ranges.sqlite');
    const low: Migration = { version: 900, name: 'low', sql: 'CREATE TABLE low_range (x INTEGER)' };
    const high: Migration = { version: 950, name: 'high', sql: 'CREATE TABLE high_range (x INTEGER)' };
    openDatabase(file, { migrations: [...MIGRATIONS, high] }).close();
    const db = openDatabase(file, { migrations: [...MIGRATIONS, low, high] });
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('low_range', 'high_range')").pluck().get()).toBe(2);
    expect(schemaVersion(db)).toBe(950);
    db.close();
  });
});
