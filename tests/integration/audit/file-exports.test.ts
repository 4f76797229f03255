import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statsCsv } from '../../../src/audit/stats/csv.ts';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore } from '../../support/test-core.ts';
import { BASE_US, FakeClock, importBundle, sessionFor } from '../../support/audit-fixtures.ts';
import { tempDir } from '../../support/temp.ts';

const alice = sessionFor('alice');
const bob = sessionFor('bob');
const audrey = sessionFor('audrey', ['auditor']);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe("the auditor's files: statistics as CSV, the report as HTML or PDF", () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let clock: FakeClock;
  let alertId: number;
  const out = () => join(tmp.dir, 'out');

  beforeEach(async () => {
    tmp = tempDir();
    clock = new FakeClock();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data'), clock });
    alertId = await importBundle(core, join(tmp.dir, 'b'), { id: 'F-1', index: 1 });
    clock.advance(20);
    await core.call(alice, 'decide', { alertId, class: 'gunfire_single', rounds: 1, reviewMs: 15_000 });
    writeFileSync(join(tmp.dir, 'placeholder'), '');
  });
  afterEach(async () => {
    await core.close();
    tmp.cleanup();
  });

  const period = { fromUs: BASE_US - 3_600_000_000, toUs: BASE_US + 3_600_000_000 };

  it('CSV: the same rows as the CLI, named for the period; written atomically when a path is given', async () => {
    const stats = await core.call(audrey, 'getAuditStats', period);
    const r = await core.call(audrey, 'exportAuditStats', period);
    expect(r.csv).toBe(statsCsv(stats));
    expect(r.csv).toContain('reviewer,alice,decisions,,,1');
    expect(r.fileName).toMatch(/^earwitness-statistics-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(r.saved).toBeNull();

    const path = join(tmp.dir, 'stats.csv');
    const saved = await core.call(audrey, 'exportAuditStats', { ...period, path });
    const bytes = readFileSync(path);
    expect(saved.saved).toEqual({ path, bytes: bytes.byteLength, sha256: sha(bytes) });
    expect(bytes.toString('utf8')).toBe(saved.csv);
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses to overwrite without leave, a missing folder, a folder as the file, a reversed period; a reviewer may not export', async () => {
    const path = join(tmp.dir, 'placeholder');
    await expect(core.call(audrey, 'exportAuditStats', { ...period, path })).rejects.toMatchObject({ code: 'conflict' });
    expect(readFileSync(path, 'utf8')).toBe('');
    await expect(core.call(audrey, 'exportAuditStats', { ...period, path: join(out(), 'x.csv') })).rejects.toMatchObject({
      code: 'invalid_input',
      message: /does not exist/,
    });
    await expect(core.call(audrey, 'exportAuditStats', { ...period, path: tmp.dir })).rejects.toMatchObject({ code: 'invalid_input', message: /is a folder/ });
    await expect(core.call(audrey, 'exportAuditStats', { fromUs: period.toUs, toUs: period.fromUs })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(core.call(alice, 'exportAuditStats', period)).rejects.toMatchObject({ code: 'forbidden' });
    const over = await core.call(audrey, 'exportAuditStats', { ...period, path, overwrite: true });
    expect(readFileSync(path, 'utf8')).toBe(over.csv);
  });

  it('report as HTML: the file is the report whose hash the log recorded', async () => {
    const path = join(tmp.dir, 'report.html');
    const r = await core.call(alice, 'saveAuditReport', { alertId, path });
    const bytes = readFileSync(path);
    expect(r).toMatchObject({ path, format: 'html', alertId, bytes: bytes.byteLength, sha256: sha(bytes), reportSha256: sha(bytes) });
    const logged = (await core.storePort.read((tx) => tx.audit.forEntity(`alert:${alertId}`))).filter((e) => e.action === 'report.generated').at(-1)!;
    expect(JSON.parse(logged.payload_json)).toMatchObject({ htmlSha256: r.reportSha256, headSeq: r.headSeq });
    expect(bytes.toString('utf8')).toContain('<!DOCTYPE html>');
  });

  it('report as PDF: refused where no shell prints (the loopback host), with no file and no entry', async () => {
    const before = await core.storePort.read((tx) => tx.audit.count());
    const path = join(tmp.dir, 'report.pdf');
    await expect(core.call(alice, 'saveAuditReport', { alertId, path, format: 'pdf' })).rejects.toMatchObject({ code: 'unavailable' });
    expect(existsSync(path)).toBe(false);
    expect(await core.storePort.read((tx) => tx.audit.count())).toBe(before);
  });

  it('report as PDF through the shell: the HTML goes to its printer with the A4 options, the bytes to the file', async () => {
    const printed: { html: string; options: unknown }[] = [];
    // The desktop shell's side of the bridge: what main/report-pdf.ts does with Chromium, reduced to recording its input.
    core.attachDesktop({
      chooseOpenPaths: () => Promise.resolve(null),
      chooseSavePath: () => Promise.resolve(null),
      printPdf: (html, options) => {
        printed.push({ html, options });
        return Promise.resolve(new TextEncoder().encode('%PDF-1.7\n% stand-in\n'));
      },
    });
    const path = join(tmp.dir, 'report.pdf');
    const r = await core.call(alice, 'saveAuditReport', { alertId, path, format: 'pdf' });
    expect(readFileSync(path, 'utf8')).toBe('%PDF-1.7\n% stand-in\n');
    expect(printed).toHaveLength(1);
    expect(printed[0]!.options).toEqual({ pageSize: 'A4', printBackground: true, landscape: false });
    expect(sha(Buffer.from(printed[0]!.html, 'utf8'))).toBe(r.reportSha256);
  });

  it('a sealed decision: an outsider gets no report file, the decider does', async () => {
    await core.call(audrey, 'setAuditSettings', { sampleShare: 1 });
    const sealedId = await importBundle(core, join(tmp.dir, 'b'), { id: 'F-2', index: 2 });
    clock.advance(5);
    await core.call(alice, 'decide', { alertId: sealedId, class: 'fireworks', reviewMs: 9_000 });
    expect(await core.storePort.read((tx) => tx.qa.sample(sealedId))).toMatchObject({ selected: true, state: 'open' });
    const path = join(tmp.dir, 'sealed.html');
    await expect(core.call(bob, 'saveAuditReport', { alertId: sealedId, path })).rejects.toMatchObject({ code: 'forbidden' });
    expect(existsSync(path)).toBe(false);
    await core.call(alice, 'saveAuditReport', { alertId: sealedId, path });
    expect(readFileSync(path, 'utf8')).toContain('Fireworks');
  });
});
