import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEntryDigest, GENESIS_HASH, type AuditRow } from '../../../../src/kernel/store-port.ts';
import { canonicalJson } from '../../../../src/util/canonical.ts';
import { backendUnavailable, openTestDatabase, testBackend, type TestDatabase } from '../../../support/database.ts';
import { seedAlerts, T0 } from '../../../support/store-fixtures.ts';

const backend = testBackend();

/** The entries whose hash or link does not hold: what `audit verify` walks. */
function brokenLinks(rows: AuditRow[]): number[] {
  const bad: number[] = [];
  let prev = GENESIS_HASH;
  for (const r of rows) {
    const hash = auditEntryDigest(prev, { seq: r.seq, atUs: r.at_us, actor: r.actor, action: r.action, entity: r.entity, payloadJson: r.payload_json });
    if (r.prev_hash !== prev || r.hash !== hash) bad.push(r.seq);
    prev = r.hash;
  }
  return bad;
}

describe.skipIf(backendUnavailable('audit queries'))(`the audit log and its reads (${backend})`, () => {
  let t: TestDatabase;
  beforeEach(async () => (t = await openTestDatabase()));
  afterEach(async () => t.close());
  const append = (n: number, o: { entity?: (i: number) => string; action?: string; payload?: (i: number) => unknown } = {}) =>
    t.store.write(async (tx) => {
      const rows: AuditRow[] = [];
      for (let i = 0; i < n; i++) {
        rows.push(
          await tx.audit.append({
            atUs: T0 + i,
            actor: 'ann',
            action: o.action ?? 'test.did',
            entity: o.entity?.(i) ?? `thing:${i}`,
            payload: o.payload?.(i) ?? { i, ü: 'é' },
          }),
        );
      }
      return rows;
    });

  it('chains entries: seq, previous hash, canonical payload text, and the recorded head', async () => {
    expect(await t.store.read(async (tx) => [await tx.audit.last(), await tx.audit.recordedHead(), await tx.audit.count()])).toEqual([
      null,
      { seq: 0, hash: GENESIS_HASH },
      0,
    ]);
    const rows = await append(3, { payload: (i) => ({ z: i, a: [1, 0.5, 'x'], n: null }) });
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    const stored = await t.probe.query<{ payload_json: string }>('SELECT payload_json FROM audit_log ORDER BY seq');
    expect(stored.map((r) => r.payload_json)).toEqual([0, 1, 2].map((i) => canonicalJson({ z: i, a: [1, 0.5, 'x'], n: null })));
    expect(await t.store.read((tx) => tx.audit.page(2, 10))).toEqual(rows.slice(1));
    expect(await t.store.read((tx) => tx.audit.forEntity('thing:1'))).toEqual([rows[1]]);
    expect(await t.store.read((tx) => tx.audit.last())).toEqual({ seq: 3, hash: rows[2]!.hash });
    expect(await t.store.read((tx) => tx.audit.recordedHead())).toEqual({ seq: 3, hash: rows[2]!.hash });
    expect(brokenLinks(await t.store.read((tx) => tx.audit.page(1, 100)))).toEqual([]);
  });

  it('walks the whole log in order, page after page, inside one snapshot', async () => {
    await append(2500, { payload: (i) => ({ i }) });
    const walked = await t.store.read(async (tx) => {
      const seqs: number[] = [];
      for await (const r of tx.audit.iterate()) seqs.push(r.seq);
      return seqs;
    });
    expect(walked).toHaveLength(2500);
    expect(walked.every((s, i) => s === i + 1)).toBe(true);
  });

  it("finds an alert's history: its own entries and those naming it by number in their payload", async () => {
    await append(1, { entity: () => 'alert:5', payload: () => ({ a: 1 }) });
    await append(1, { entity: () => 'incident:1', payload: () => ({ alertId: 5 }) });
    await append(1, { entity: () => 'delivery:3', payload: () => ({ alertId: '5' }) });
    await append(1, { entity: () => 'qa:5', payload: () => ({ nested: { alertId: 5 } }) });
    await append(1, { entity: () => 'incident:2', payload: () => ({ alertId: 6 }) });
    // Another alert's own entry that names alert 5: SQLite's LIKE folds ASCII case, so 'ALERT:' counts as an alert entity too.
    await append(1, { entity: () => 'ALERT:7', payload: () => ({ alertId: 5 }) });
    await append(1, { entity: () => 'delivery:4', payload: () => [5] });
    expect((await t.store.read((tx) => tx.audit.aboutAlert(5))).map((r) => r.entity)).toEqual(['alert:5', 'incident:1']);
  });

  it('selects by action prefix, ASCII case folded, with % and _ taken literally', async () => {
    for (const action of ['publish.sent', 'PUBLISH.failed', 'publishing.other', 'pub%x.y', 'pubXx.y', 'pub_x.z', 'Ébauche.x', 'ébauche.y'])
      await append(1, { action });
    const prefixed = async (p: string) => (await t.store.read((tx) => tx.audit.withActionPrefix(p))).map((r) => r.action);
    expect(await prefixed('publish.')).toEqual(['publish.sent', 'PUBLISH.failed']);
    expect(await prefixed('pub%')).toEqual(['pub%x.y']);
    expect(await prefixed('pub_')).toEqual(['pub_x.z']);
    expect(await prefixed('ébauche')).toEqual(['ébauche.y']);
  });

  it('refuses edits, deletions, forks and gaps in the database itself', async () => {
    const rows = await append(3);
    await expect(t.probe.run("UPDATE audit_log SET actor = 'eve' WHERE seq = 2")).rejects.toThrow(/append-only/);
    await expect(t.probe.run('DELETE FROM audit_log WHERE seq = 3')).rejects.toThrow(/append-only/);
    if (backend === 'postgres') await expect(t.probe.run('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    const insert = 'INSERT INTO audit_log (seq, at_us, actor, action, entity, payload_json, prev_hash, hash) VALUES (?, 1, ?, ?, ?, ?, ?, ?)';
    await expect(t.probe.run(insert, 5, 'x', 'x.y', 'e', '{}', rows[2]!.hash, 'a'.repeat(64))).rejects.toThrow(/must continue the chain/);
    await expect(t.probe.run(insert, 4, 'x', 'x.y', 'e', '{}', rows[1]!.hash, 'b'.repeat(64))).rejects.toThrow(/must continue the chain/);
    await expect(t.probe.run('UPDATE audit_head SET seq = 2')).rejects.toThrow(/only moves forward/);
    await expect(t.probe.run('DELETE FROM audit_head')).rejects.toThrow(/cannot be deleted/);
    if (backend === 'postgres') await expect(t.probe.run('TRUNCATE audit_head')).rejects.toThrow(/cannot be deleted/);
    expect(await t.store.read((tx) => tx.audit.count())).toBe(3);
  });

  it('shows an entry edited behind the guards to a walk of the chain', async () => {
    await append(5);
    await t.probe.dropAuditGuards();
    expect(await t.probe.run('UPDATE audit_log SET payload_json = \'{"i":99}\' WHERE seq = 3')).toBe(1);
    expect(brokenLinks(await t.store.read((tx) => tx.audit.page(1, 100)))).toEqual([3]);
    // A deleted tail leaves the recorded head past the end of the log.
    await t.probe.run('DELETE FROM audit_log WHERE seq = 5');
    expect(await t.store.read(async (tx) => [await tx.audit.last(), (await tx.audit.recordedHead())!.seq])).toEqual([{ seq: 4, hash: expect.any(String) }, 5]);
  });

  it('reads whole tables for verification and statistics', async () => {
    await t.store.write(async (tx) => {
      await seedAlerts(tx, 3);
      const d = { class: 'fireworks' as const, rounds: null, flags: { fullyAutomatic: false, multipleShooters: false }, notes: '', reviewMs: 1 };
      await tx.decisions.insert({ ...d, alertId: 2, decidedBy: 'ann', decidedUs: T0 });
      const undone = await tx.decisions.insert({ ...d, alertId: 2, decidedBy: 'ben', decidedUs: T0 + 1 });
      await tx.decisions.undo(undone.id, 2, T0 + 2);
      await tx.audit.append({ atUs: T0 + 2, actor: 'cal', action: 'decision.undone', entity: 'alert:2', payload: {} });
      await tx.audit.append({ atUs: T0 + 3, actor: 'cal', action: 'decision.undone', entity: 'alert:2', payload: {} });
      await tx.decisions.insert({ ...d, alertId: 1, decidedBy: 'ann', decidedUs: T0 });
      await tx.incidents.create(1, 'routed', 'Actual', null, T0 + 10);
      await tx.incidents.create(3, 'unrouted', 'Actual', 'x', T0 + 5);
    });
    const r = await t.store.read(async (tx) => ({
      alerts: await tx.auditReads.alerts(),
      between: await tx.auditReads.alertsDetectedBetween(T0 + 120_000_000, T0 + 180_000_000),
      sensors: await tx.auditReads.sensors(),
      decisions: await tx.auditReads.decisions(),
      decisionsBetween: await tx.auditReads.decisionsForAlertsDetectedBetween(T0, T0 + 120_000_001),
      of2: await tx.auditReads.decisionsOf(2),
      actors: await tx.auditReads.decisionActors(2),
      clips: await tx.auditReads.clips(),
      published: await tx.auditReads.incidentPublications(),
      solutions: await tx.auditReads.solutions(),
    }));
    expect(r.alerts.map((a) => a.id)).toEqual([1, 2, 3]);
    expect(r.alerts[0]).toEqual({
      id: 1,
      source: 'test-net',
      external_id: 'A-1',
      format: 'acoustic-alert/1',
      detected_us: T0 + 60_000_000,
      imported_us: T0 + 65_000_000,
      machine_label: 'gunfire',
      machine_confidence: 0.875,
      machine_rounds: 3,
      coordinates: 'wgs84',
    });
    expect(r.between.map((a) => a.id)).toEqual([2]);
    expect(r.sensors.map((s) => `${s.alert_id}/${s.sensor_id}`)).toEqual(['1/S-1', '1/S-2', '1/S-3', '2/S-1', '2/S-2', '2/S-3', '3/S-1', '3/S-2', '3/S-3']);
    expect(r.decisions.map((d) => [d.alertId, d.version])).toEqual([
      [1, 1],
      [2, 1],
      [2, 2],
    ]);
    expect(r.decisionsBetween.map((d) => [d.alertId, d.version])).toEqual([
      [1, 1],
      [2, 1],
      [2, 2],
    ]);
    expect(r.of2.map((d) => d.decidedBy)).toEqual(['ann', 'ben']);
    expect([...r.actors].sort()).toEqual(['ann', 'ben', 'cal']);
    expect(r.clips.map((c) => c.sha256)).toEqual([...r.clips.map((c) => c.sha256)].sort());
    expect(r.clips).toHaveLength(9);
    expect(r.published).toEqual([{ alert_id: 1, published_us: T0 + 10 }]);
    expect(r.solutions).toEqual([]);
  });
});
