import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestCore } from '../../support/test-core.ts';
import { cli } from '../../support/cli.ts';
import { seedProgramme } from '../../support/programme.ts';
import { tempDir } from '../../support/temp.ts';

describe('earwitness outcomes', () => {
  let tmp: ReturnType<typeof tempDir>;
  const nowMs = Date.parse('2026-06-30T12:00:00Z');
  const run = async (...args: string[]) => cli(['outcomes', ...args, '--data', join(tmp.dir, 'data')]);

  beforeAll(async () => {
    tmp = tempDir();
    const core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    await seedProgramme(core, { nowMs, days: 20, alerts: 60 });
    await core.close();
  }, 60_000);
  afterAll(() => tmp.cleanup());

  it('issues a key with its secret once, lists keys without secrets, retires one', async () => {
    const issued = await run('key-issue', '1', '--json');
    expect(issued.status, issued.stderr).toBe(0);
    const key = JSON.parse(issued.stdout) as { keyId: string; secret: string };
    expect(key.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const keys = await run('keys');
    expect(keys.stdout).toContain(key.keyId);
    expect(keys.stdout).not.toContain(key.secret);
    expect((await run('key-retire', key.keyId)).stdout).toMatch(/^retired ok_/);
    expect((await run('keys')).stdout).toMatch(/\(retired\)/);
    const bad = await run('key-issue', '999');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/no agency 999/);
  });

  it('prints the figures, writes the report, and refuses to overwrite without --force', async () => {
    const f = await run('figures', '--from', '2026-06-10', '--to', '2026-06-30', '--json');
    expect(f.status, f.stderr).toBe(0);
    const figures = JSON.parse(f.stdout) as { alerts: number; confirmed: number };
    expect(figures.alerts).toBeGreaterThan(30);
    const out = join(tmp.dir, 'report.csv');
    const r = await run('report', '--from', '2026-06-10', '--to', '2026-06-30', '--format', 'csv', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(`totals,,confirmed,${figures.confirmed}`);
    const again = await run('report', '--from', '2026-06-10', '--to', '2026-06-30', '--format', 'csv', '--out', out);
    expect(again.status).not.toBe(0);
    expect((await run('figures', '--from', '2026-06-10')).stderr).toMatch(/--to DAY/);
  });

  it('makes an officer link for an incident', async () => {
    const l = await run('link', '1');
    expect(l.status, l.stderr).toBe(0);
    expect(l.stdout).toMatch(/^\/o\/[A-Za-z0-9_-]{20}\n/);
  });
});
