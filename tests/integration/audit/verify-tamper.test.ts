import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit, type VerifyReport } from '../../../src/audit/verify.ts';
import { canonicalJson } from '../../../src/util/canonical.ts';
import type { Core } from '../../../src/core/core.ts';
import { populatedCore } from '../../support/audit-fixtures.ts';
import { tempDir } from '../../support/temp.ts';

/** What an attacker holding the file does first: drop the triggers that stand in the way. */
const ATTACKER_SQL = `DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;
  DROP TRIGGER audit_log_append_in_order; DROP TRIGGER audit_log_moves_head;`;

describe('audit verify finds any single tampered row, named', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let n = 0;

  beforeAll(async () => {
    tmp = tempDir();
    ({ core } = await populatedCore(tmp.dir, 130));
    n = core.store.audit.count();
  }, 120_000);
  afterAll(async () => {
    await core.close();
    tmp.cleanup();
  });

  /** Tampers inside a transaction that is rolled back, so every trial starts from the same honest file. */
  function tampered(sql: (db: Core['store']['db']) => void, records = false): VerifyReport {
    const db = core.store.db;
    db.exec('BEGIN');
    try {
      db.exec(ATTACKER_SQL);
      sql(db);
      return verifyAudit(core, { clips: false, records });
    } finally {
      db.exec('ROLLBACK');
    }
  }

  it('starts from a log of several hundred entries that verifies', () => {
    expect(n).toBeGreaterThanOrEqual(300);
    const actions = new Set(core.store.db.prepare('SELECT DISTINCT action FROM audit_log').pluck().all());
    expect([...actions].sort()).toEqual(['alert.imported', 'decision.made', 'incident.unrouted', 'qa.sampled', 'settings.changed', 'solution.added']);
    const r = verifyAudit(core);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checked.clips).toBe(130 * 4);
  });

  const FIELDS = ['payload', 'actor', 'at_us', 'action', 'entity', 'hash', 'prev_hash'] as const;

  it('names every altered entry (each field in turn)', () => {
    const misses: string[] = [];
    for (let seq = 1; seq <= n; seq++) {
      const field = FIELDS[seq % FIELDS.length]!;
      const r = tampered((db) => {
        const row = db.prepare('SELECT * FROM audit_log WHERE seq = ?').get(seq) as Record<string, string | number>;
        const value =
          field === 'payload'
            ? canonicalJson({ ...(JSON.parse(row.payload_json as string) as object), tampered: true })
            : field === 'at_us'
              ? (row.at_us as number) + 1
              : field === 'hash' || field === 'prev_hash'
                ? 'f'.repeat(64)
                : `${row[field]}x`;
        db.prepare(`UPDATE audit_log SET ${field === 'payload' ? 'payload_json' : field} = ? WHERE seq = ?`).run(value, seq);
      });
      if (r.ok || r.first?.kind !== 'entry' || r.first.seq !== seq) misses.push(`${seq}/${field}: ${JSON.stringify(r.first)}`);
    }
    expect(misses).toEqual([]);
  }, 120_000); // as below

  it('names every deleted entry, the last one included', () => {
    // Records checked too here: a deleted decision entry also leaves its row unrecorded, but the chain break comes first.
    const misses: string[] = [];
    for (let seq = 1; seq <= n; seq++) {
      const r = tampered((db) => db.prepare('DELETE FROM audit_log WHERE seq = ?').run(seq), seq % 10 === 0);
      const named = r.first && 'seq' in r.first ? r.first.seq : null;
      if (r.ok || named !== seq) misses.push(`${seq}: ${JSON.stringify(r.first)}`);
    }
    expect(misses).toEqual([]);
  }, 120_000); // hundreds of verifications: over 30 s on a loaded 2-core machine

  it('names every pair of swapped neighbours at the first of the two', () => {
    const misses: string[] = [];
    for (let seq = 1; seq < n; seq++) {
      const r = tampered((db) => {
        db.prepare('UPDATE audit_log SET seq = -1 WHERE seq = ?').run(seq);
        db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(seq, seq + 1);
        db.prepare('UPDATE audit_log SET seq = ? WHERE seq = -1').run(seq + 1);
      });
      if (r.ok || r.first?.kind !== 'entry' || r.first.seq !== seq) misses.push(`${seq}: ${JSON.stringify(r.first)}`);
    }
    expect(misses).toEqual([]);
  }, 120_000); // as above

  it('sees a payload re-serialised with the same meaning (bytes edited, hash kept)', () => {
    const r = tampered((db) => db.prepare("UPDATE audit_log SET payload_json = ' ' || payload_json WHERE seq = 7").run());
    expect(r.first).toMatchObject({ kind: 'entry', seq: 7, problem: 'canonical' });
  });

  it('catches a rewrite that recomputes every later hash only through an anchor given out before', async () => {
    const { auditEntryDigest } = await import('../../../src/store/audit-log.ts');
    const head = core.store.audit.last()!;
    const rewrite = (db: Core['store']['db']) => {
      // Change entry 40's payload and recompute the chain from there, as a careful forger would.
      const rows = db.prepare('SELECT * FROM audit_log WHERE seq >= 39 ORDER BY seq').all() as {
        seq: number;
        at_us: number;
        actor: string;
        action: string;
        entity: string;
        payload_json: string;
        hash: string;
      }[];
      let prev = rows[0]!.hash;
      for (const row of rows.slice(1)) {
        const payloadJson = row.seq === 40 ? canonicalJson({ ...(JSON.parse(row.payload_json) as object), forged: 1 }) : row.payload_json;
        const hash = auditEntryDigest(prev, { seq: row.seq, atUs: row.at_us, actor: row.actor, action: row.action, entity: row.entity, payloadJson });
        db.prepare('UPDATE audit_log SET payload_json = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(payloadJson, prev, hash, row.seq);
        prev = hash;
      }
      db.prepare('UPDATE audit_head SET hash = ?').run(prev);
    };
    const db = core.store.db;
    db.exec('BEGIN');
    try {
      db.exec(`${ATTACKER_SQL} DROP TRIGGER audit_head_forward_only;`);
      rewrite(db);
      const blind = verifyAudit(core, { clips: false, records: false });
      expect(blind.ok).toBe(true); // without a hash kept elsewhere, a full rewrite is self-consistent
      const anchored = verifyAudit(core, { clips: false, records: false, anchors: [{ seq: head.seq, hash: head.hash, source: 'receipt' }] });
      expect(anchored.first).toMatchObject({ kind: 'anchor', seq: head.seq, problem: 'mismatch', source: 'receipt' });
    } finally {
      db.exec('ROLLBACK');
    }
  });

  it('names every altered clip file with the alert, sensor and import entry', () => {
    const clips = core.store.auditReads.clips();
    const misses: string[] = [];
    for (const c of clips) {
      const path = core.clips.path(c.sha256);
      const original = readFileSync(path);
      const bad = Buffer.from(original);
      bad[bad.length - 3] = bad[bad.length - 3]! ^ 0x01; // one bit of one sample
      writeFileSync(path, bad);
      try {
        const r = verifyAudit(core, { records: false });
        const first = r.first;
        if (first?.kind !== 'clip' || first.sha256 !== c.sha256 || first.problem !== 'altered' || first.uses.length === 0 || first.seq === null) {
          misses.push(`${c.sha256}: ${JSON.stringify(first)}`);
        }
      } finally {
        writeFileSync(path, original);
      }
    }
    expect(misses).toEqual([]);
    expect(verifyAudit(core).ok).toBe(true);
  }, 240_000); // hundreds of full verifications over hundreds of clips: seconds each on a loaded 2-core machine

  it('names a deleted clip file and a clip replaced by another valid recording', () => {
    const [a, b] = core.store.auditReads.clips();
    const pathA = core.clips.path(a!.sha256);
    const saved = readFileSync(pathA);
    try {
      copyFileSync(core.clips.path(b!.sha256), pathA);
      expect(verifyAudit(core, { records: false }).first).toMatchObject({ kind: 'clip', sha256: a!.sha256, problem: 'altered', found: b!.sha256 });
    } finally {
      writeFileSync(pathA, saved);
    }
  });

  it('names version rows changed or removed behind the log', () => {
    const decision = core.store.db.prepare("SELECT id, alert_id FROM decisions WHERE class <> 'fireworks' LIMIT 1 OFFSET 10").get() as {
      id: number;
      alert_id: number;
    };
    const bySeq = (table: string, r: VerifyReport) => (r.first?.kind === 'record' && r.first.table === table ? r.first : null);
    let r = tampered((db) => db.prepare("UPDATE decisions SET class = 'fireworks' WHERE id = ?").run(decision.id), true);
    expect(bySeq('decisions', r)).toMatchObject({ rowId: decision.id, alertId: decision.alert_id });
    expect(r.first!.message).toMatch(/class/);
    r = tampered(
      (db) =>
        db
          .prepare(
            'UPDATE alert_sensors SET clip_sha256 = (SELECT clip_sha256 FROM alert_sensors WHERE alert_id = ? LIMIT 1) WHERE alert_id = ? AND sensor_id = ?',
          )
          .run(1, 2, 'S-1'),
      true,
    );
    expect(bySeq('alerts', r)).toMatchObject({ rowId: 2 });
    expect(r.first!.message).toMatch(/clip of sensor S-1/);
    r = tampered((db) => {
      db.pragma('foreign_keys = OFF');
      db.prepare('DELETE FROM solutions WHERE alert_id = 3').run();
    }, true);
    core.store.db.pragma('foreign_keys = ON');
    expect(bySeq('solutions', r)).toMatchObject({ alertId: 3 });
    r = tampered((db) => db.prepare("UPDATE alerts SET machine_label = 'fireworks' WHERE id = 4").run(), true);
    expect(bySeq('alerts', r)!.message).toMatch(/machine classification/);
  });
});
