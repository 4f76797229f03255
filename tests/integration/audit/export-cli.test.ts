import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorFromFile } from '../../../src/audit/anchors.ts';
import { sha256Hex } from '../../../src/util/canonical.ts';
import type { Core } from '../../../src/core/core.ts';
import { populatedCore } from '../../support/audit-fixtures.ts';
import { cli } from '../../support/cli.ts';
import { tempDir } from '../../support/temp.ts';
import { missing } from '../../support/skip.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const VERIFIER = join(ROOT, 'docs/audit/verify_export.py');
const python = spawnSync('python3', ['--version']).status === 0;

/** `earwitness audit ARGS...` in-process (tests/integration/cli/smoke.test.ts spawns the real one). */
const audit = (args: string[]) => cli(['audit', ...args]);

describe('audit export, the CLI, and an independent verifier', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let data: string;

  beforeAll(async () => {
    tmp = tempDir();
    ({ core } = await populatedCore(tmp.dir, 12));
    data = join(tmp.dir, 'data');
    await core.close(); // the CLI opens the store itself
  }, 60_000);
  afterAll(() => tmp.cleanup());

  it('exports JSON Lines with a receipt whose hashes match the file and the chain', async () => {
    const out = join(tmp.dir, 'chain.jsonl');
    const r = await audit(['export', '--data', data, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const receipt = JSON.parse(r.stdout) as { fileSha256: string; headSeq: number; headHash: string; entries: number };
    expect(sha256Hex(readFileSync(out))).toBe(receipt.fileSha256);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'header', format: 'earwitness-audit-export/1' });
    expect(lines.at(-1)).toEqual({ type: 'head', seq: receipt.headSeq, hash: receipt.headHash, entries: receipt.entries });
    expect(anchorFromFile(out)).toMatchObject({ seq: receipt.headSeq, hash: receipt.headHash });
    // An existing file is never overwritten without --force.
    expect((await audit(['export', '--data', data, '--out', out])).status).toBe(2);
    writeFileSync(join(tmp.dir, 'receipt.json'), r.stdout);
  });

  it("refuses, even with --force, to write over the data folder's own files", async () => {
    const db = join(data, 'earwitness.sqlite');
    const anchors = join(data, 'audit-anchors.jsonl');
    const before = [readFileSync(db), existsSync(anchors) ? readFileSync(anchors) : null];
    for (const args of [
      ['export', '--out', db, '--force'],
      ['report', '--alert', '1', '--out', db, '--force'],
      ['stats', '--from', '2025-01-01', '--to', '2026-01-01', '--csv', '--out', anchors],
    ]) {
      const r = await audit([...args, '--data', data]);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr).toMatch(/of the data folder/);
    }
    expect([readFileSync(db), existsSync(anchors) ? readFileSync(anchors) : null]).toEqual(before);
  });

  it.skipIf(missing(python, 'the Python export verifier', 'python3 is not on PATH (the recipe in docs/audit/verify_export.py needs it)'))(
    'is verified by the stdlib-only Python recipe (with the clip files), which names a tampered entry',
    async () => {
      const out = join(tmp.dir, 'chain.jsonl');
      const ok = execFileSync('python3', [VERIFIER, out, '--clips', join(data, 'clips')], { encoding: 'utf8' });
      expect(ok).toMatch(/^OK: \d+ entries/);
      const json = join(tmp.dir, 'chain.json');
      expect((await audit(['export', '--data', data, '--out', json, '--format', 'json'])).status).toBe(0);
      expect(execFileSync('python3', [VERIFIER, json], { encoding: 'utf8' })).toMatch(/^OK/);
      const lines = readFileSync(out, 'utf8').split('\n');
      const e = JSON.parse(lines[5]!);
      e.actor = 'mallory';
      lines[5] = JSON.stringify(e);
      const bad = join(tmp.dir, 'bad.jsonl');
      writeFileSync(bad, lines.join('\n'));
      const r = spawnSync('python3', [VERIFIER, bad], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(`entry ${e.seq}: content does not give its hash`);
    },
  );

  it('refuses bad arguments with a one-line reason', async () => {
    expect((await audit(['verify', '--data', data, '--anchor', 'nonsense'])).stderr).toMatch(/an anchor is SEQ:HASH/);
    expect((await audit(['stats', '--data', data, '--from', 'yesterday', '--to', '2026-01-01'])).stderr).toMatch(/--from/);
    expect((await audit(['report', '--data', data, '--alert', '-3', '--out', 'x.html'])).status).toBe(2);
    expect((await audit(['nope'])).status).toBe(2);
    expect(existsSync(join(ROOT, 'x.html'))).toBe(false);
  });

  it('writes stats as CSV and a report as HTML', async () => {
    const csv = join(tmp.dir, 'stats.csv');
    expect((await audit(['stats', '--data', data, '--from', '2020-01-01', '--to', '2030-01-01', '--csv', '--out', csv])).status).toBe(0);
    expect(readFileSync(csv, 'utf8')).toMatch(/^section,reviewer,metric,row,column,value\r\n/);
    const html = join(tmp.dir, 'r.html');
    const r = await audit(['report', '--data', data, '--alert', '1', '--out', html]);
    expect(r.status).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });
  it('verifies with exit 0, and names the first mismatch with exit 1', async () => {
    const good = await audit(['verify', '--data', data, '--receipt', join(tmp.dir, 'receipt.json')]);
    expect(good.stdout).toMatch(/OK: the chain, the records and every clip match/);
    expect(good.status).toBe(0);
    const db = join(data, 'earwitness.sqlite');
    // An attacker with sqlite3: drop the delete trigger, remove the last two entries.
    const sql = spawnSync('sqlite3', [db, 'DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 2 FROM audit_log);'], {
      encoding: 'utf8',
    });
    if (sql.status !== 0) throw new Error(`sqlite3 failed: ${sql.stderr}`);
    const bad = await audit(['verify', '--data', data, '--json']);
    expect(bad.status).toBe(1);
    const report = JSON.parse(bad.stdout) as { first: { kind: string; seq: number; description: string } };
    expect(report.first.kind).toBe('head');
    expect(report.first.description).toMatch(/removed/);
    const text = await audit(['verify', '--data', data]);
    expect(text.stdout).toMatch(/FIRST MISMATCH: entry \d+: the database recorded a head/);
    // The database itself refuses to write onto a truncated chain (the head no longer follows).
    const append = await audit(['export', '--data', data, '--out', join(tmp.dir, 'after.jsonl')]);
    expect(append.status).toBe(1);
    expect(append.stderr).toMatch(/must continue the chain/);
  });
});
