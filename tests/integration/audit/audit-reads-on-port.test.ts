import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import type { Session } from '../../../src/kernel/session.ts';
import { auditRows, openBackendCore, portTableCounts, type BackendCore } from '../../support/backend-core.ts';
import { ManualClock } from '../../support/clock.ts';
import { backendUnavailable, testBackend } from '../../support/database.ts';
import { seedPublishable } from '../../support/publishable.ts';
import { addPerson, seatOf } from '../../support/seats.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * The auditor's reads and files come from the port's database, so a centre on PostgreSQL shows
 * the same head, log, history, statistics, report and export as a workstation on SQLite.
 */
describe.skipIf(backendUnavailable('audit reads on the port'))(`the auditor's reads on the store port (${testBackend()})`, () => {
  let tmp: ReturnType<typeof tempDir>;
  let backend: BackendCore;
  let core: Core;
  let clock: ManualClock;
  let audrey: Session;
  let alertId: number;

  beforeEach(async () => {
    tmp = tempDir();
    clock = new ManualClock();
    backend = await openBackendCore(join(tmp.dir, 'data'), { clock });
    core = backend.core;
    await addPerson(core, 'rita', ['reviewer']);
    await addPerson(core, 'audrey', ['auditor']);
    audrey = await seatOf(core, 'audrey');
    await core.call(audrey, 'setAuditSettings', { sampleShare: 0 });
    const seeded = await core.storePort.write((tx) => seedPublishable(tx, 2));
    alertId = seeded.alertIds[0]!;
    const rita = await seatOf(core, 'rita');
    await core.call(rita, 'claimAlert', { alertId });
    clock.advanceSeconds(20);
    await core.call(rita, 'decide', { alertId, class: 'gunfire_single', rounds: 1, reviewMs: 9000 });
  });
  afterEach(async () => {
    await backend.close();
    tmp.cleanup();
  });

  const entries = async () => Number((await backend.probe.query<{ n: number }>('SELECT count(*) AS n FROM audit_log'))[0]!.n);

  it('gives the head and pages of the log the database holds', async () => {
    const n = await entries();
    const head = await core.call(audrey, 'getAuditHead', {});
    expect(head).toMatchObject({ seq: n, entries: n, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const first = await core.call(audrey, 'listAuditLog', { afterSeq: 0, limit: 3 });
    expect(first.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(first.entries[1]!.prevHash).toBe(first.entries[0]!.hash);
    const rest = await core.call(audrey, 'listAuditLog', { afterSeq: 3, limit: 1000 });
    expect(rest.entries).toHaveLength(n - 3);
    const ofAlert = await core.call(audrey, 'listAuditLog', { afterSeq: 0, limit: 100, entity: `alert:${alertId}` });
    expect(ofAlert.entries.map((e) => e.action)).toContain('decision.made');
    expect(ofAlert.head.seq).toBe(n);
  });

  it("tells an alert's history with the agency it was published to, by name", async () => {
    const history = await core.call(audrey, 'getIncidentHistory', { alertId });
    expect(history.unrecorded).toEqual([]);
    expect(history.decisions).toHaveLength(1);
    const kinds = history.events.map((e) => e.kind);
    expect(kinds).toContain('decision');
    const published = history.events.find((e) => e.kind === 'published');
    expect(published?.summary).toContain('City Police');
    expect(history.headSeq).toBe(await entries());
    await expect(core.call(audrey, 'getIncidentHistory', { alertId: 999_999 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('counts the decision in the statistics', async () => {
    const stats = await core.call(audrey, 'getAuditStats', { fromUs: 0, toUs: clock.nowUs() + 1 });
    expect(stats.alerts).toBe(2);
    expect(stats.decided).toBe(1);
    expect(stats.undecided).toBe(1);
    const csv = await core.call(core.cliSession(), 'exportAuditStats', { fromUs: 0, toUs: clock.nowUs() + 1 });
    expect(csv.csv.split('\r\n')[0]).toBe('section,reviewer,metric,row,column,value');
    expect(csv.csv).toContain('period,all,decided,,,1\r\nreviewer,all,decisions,,,1');
  });

  it('builds a report from one read and anchors it in the log', async () => {
    const before = await entries();
    const report = await core.call(audrey, 'getAuditReport', { alertId });
    expect(report.headSeq).toBe(before);
    expect(report.html).toContain('City Police');
    const logged = await auditRows(backend.probe, 'report.generated');
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!.payload_json)).toMatchObject({ alertId, headSeq: before, htmlSha256: report.sha256 });
  });

  it('exports the whole chain as one cut and records the export', async () => {
    const path = join(tmp.dir, 'chain.jsonl');
    // The path form is the command line's; a seat's is exportAuditFile.
    const receipt = await core.call(core.cliSession(), 'exportAudit', { path, format: 'jsonl', overwrite: false });
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(receipt.entries + 2);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'head', seq: receipt.headSeq, hash: receipt.headHash });
    expect(receipt.entries).toBe((await entries()) - 1);
    expect(await auditRows(backend.probe, 'audit.exported')).toHaveLength(1);
  });

  it('changes the settings with an entry each, and refuses an empty change before writing', async () => {
    const before = await core.call(audrey, 'getAuditSettings', {});
    expect(before.sampleShare).toBe(0);
    const after = await core.call(audrey, 'setAuditSettings', { sampleShare: 0.25, timeBudgetS: 45, rotateSamplingKey: true });
    expect(after).toMatchObject({ sampleShare: 0.25, timeBudgetS: 45, samplingKeyId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const changes = (await auditRows(backend.probe, 'settings.changed')).map((r) => JSON.parse(r.payload_json) as { key: string; from: unknown; to: unknown });
    expect(changes.slice(-3)).toEqual([
      expect.objectContaining({ key: 'audit.qaSampleShare', from: 0, to: 0.25 }),
      expect.objectContaining({ key: 'audit.timeBudgetS', from: 60, to: 45 }),
      expect.objectContaining({ key: 'audit.qaSamplingKey', to: after.samplingKeyId }),
    ]);
    const rotated = await core.call(audrey, 'setAuditSettings', { rotateSamplingKey: true });
    expect(rotated.samplingKeyId).not.toBe(after.samplingKeyId);
    expect((await auditRows(backend.probe, 'settings.changed')).map((r) => JSON.parse(r.payload_json)).at(-1)).toMatchObject({
      from: after.samplingKeyId,
      to: rotated.samplingKeyId,
    });

    const rita = await seatOf(core, 'rita');
    const counts = await portTableCounts(backend.probe);
    await expect(core.call(audrey, 'setAuditSettings', {})).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(core.call(rita, 'setAuditSettings', { sampleShare: 1 })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await portTableCounts(backend.probe)).toEqual(counts);
  });
});
