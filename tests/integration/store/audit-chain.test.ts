import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/store/db.ts';
import { MIGRATIONS } from '../../../src/store/migrations/index.ts';
import { Store } from '../../../src/store/store.ts';
import { auditEntryDigest, GENESIS_HASH } from '../../../src/store/audit-log.ts';
import { tempDir } from '../../support/temp.ts';

describe('the audit log through plain SQL', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: Store;
  beforeEach(() => {
    tmp = tempDir();
    store = Store.open(join(tmp.dir, 'a.sqlite'));
    store.tx(() => {
      for (let i = 0; i < 5; i++) store.audit.append({ atUs: i, actor: 'a', action: 'test.did', entity: `thing:${i}`, payload: { i } });
    });
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  it('refuses UPDATE and DELETE of entries', () => {
    expect(() => store.db.prepare("UPDATE audit_log SET actor = 'b' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('UPDATE audit_log SET seq = seq + 100').run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit_log WHERE seq = 5').run()).toThrow(/append-only/);
    expect(() => store.db.exec('DELETE FROM audit_log')).toThrow(/append-only/);
    expect(store.audit.count()).toBe(5);
  });

  it('refuses an insert that does not continue the chain', () => {
    const last = store.audit.last()!;
    const ins = store.db.prepare('INSERT INTO audit_log (seq, at_us, actor, action, entity, payload_json, prev_hash, hash) VALUES (?, 1, ?, ?, ?, ?, ?, ?)');
    expect(() => ins.run(7, 'x', 'x.y', 'e', '{}', last.hash, 'a'.repeat(64))).toThrow(/must continue the chain/);
    expect(() => ins.run(6, 'x', 'x.y', 'e', '{}', GENESIS_HASH, 'b'.repeat(64))).toThrow(/must continue the chain/);
    const hash = auditEntryDigest(last.hash, { seq: 6, atUs: 1, actor: 'x', action: 'x.y', entity: 'e', payloadJson: '{}' });
    ins.run(6, 'x', 'x.y', 'e', '{}', last.hash, hash);
    expect(store.audit.recordedHead()).toEqual({ seq: 6, hash });
  });

  it('keeps the recorded head moving forward only', () => {
    expect(() => store.db.prepare('UPDATE audit_head SET seq = 3').run()).toThrow(/only moves forward/);
    expect(() => store.db.prepare('DELETE FROM audit_head').run()).toThrow(/cannot be deleted/);
  });

  it('starts the recorded head at the existing end when an older file is upgraded', () => {
    const file = join(tmp.dir, 'old.sqlite');
    const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, 1) });
    // Written as the foundation's append did, before migration 50 existed.
    const hash = auditEntryDigest(GENESIS_HASH, { seq: 1, atUs: 1, actor: 'a', action: 'old.entry', entity: 'x', payloadJson: 'null' });
    old
      .prepare('INSERT INTO audit_log (seq, at_us, actor, action, entity, payload_json, prev_hash, hash) VALUES (1, 1, ?, ?, ?, ?, ?, ?)')
      .run('a', 'old.entry', 'x', 'null', GENESIS_HASH, hash);
    old.close();
    const upgraded = Store.open(file);
    expect(upgraded.audit.recordedHead()).toEqual({ seq: 1, hash });
    upgraded.tx(() => upgraded.audit.append({ atUs: 2, actor: 'a', action: 'new.entry', entity: 'x', payload: { ok: true } }));
    expect(upgraded.audit.recordedHead()!.seq).toBe(2);
    upgraded.close();
  });
});
