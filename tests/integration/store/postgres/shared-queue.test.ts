import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEntryDigest, GENESIS_HASH } from '../../../../src/kernel/store-port.ts';
import { backendUnavailable, openTestDatabase, type TestDatabase } from '../../../support/database.ts';
import { newAlert } from '../../../support/store-fixtures.ts';
import { tempDir } from '../../../support/temp.ts';

const SCRIPT = join(import.meta.dirname, '../../../support/queue-process.ts');
const PROCESSES = 2;
const SEATS = 120;
const ALERTS = PROCESSES * SEATS + 20;

interface Outcome {
  name: string;
  results: { seat: string; alertId?: number | null; error?: string; ms: number }[];
  heard: { alertId: number; seat: string | null }[];
  wallMs: number;
}

/** A queue process started and waiting for `go`. */
function startQueueProcess(
  url: string,
  dataDir: string,
  name: string,
  expectEvents: number,
): Promise<{ child: ChildProcess; go(): void; done: Promise<Outcome> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, url, dataDir, name, String(SEATS), String(expectEvents)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    let outcome: Outcome | null = null;
    const done = new Promise<Outcome>((res, rej) => {
      child.once('exit', (code) => (outcome && code === 0 ? res(outcome) : rej(new Error(`${name} exited with ${code}`))));
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
    lines.on('line', (line) => {
      if (line === 'ready') resolve({ child, go: () => child.stdin!.write('go\n'), done });
      else if (line.startsWith('{')) outcome = JSON.parse(line) as Outcome;
    });
  });
}

/**
 * Two server processes, each a real core whose queue runs on the PostgreSQL store port, share one
 * queue: 240 seats call claimNext at the same moment, and no alert goes to two seats.
 */
describe.skipIf(backendUnavailable('two processes sharing one queue', 'postgres'))('two processes on one PostgreSQL queue', () => {
  let t: TestDatabase;
  let tmp: ReturnType<typeof tempDir>;
  const children: ChildProcess[] = [];
  beforeEach(async () => {
    t = await openTestDatabase('postgres');
    tmp = tempDir();
  });
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
    await t.close();
    tmp.cleanup();
  });

  it(`gives ${PROCESSES * SEATS} seats on two servers, claiming at once, each a different alert, and tells every server of every claim`, async () => {
    await t.store.write(async (tx) => {
      for (let n = 1; n <= ALERTS; n++) await tx.alerts.insert(newAlert(n, { sensors: [], pulses: [] }));
    });
    const started = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) => startQueueProcess(t.url, join(tmp.dir, `server-${i}`), `server${i}`, PROCESSES * SEATS)),
    );
    children.push(...started.map((s) => s.child));
    for (const s of started) s.go();
    const outcomes = await Promise.all(started.map((s) => s.done));

    const all = outcomes.flatMap((o) => o.results);
    expect(all.filter((r) => r.error !== undefined)).toEqual([]);
    const alertIds = all.map((r) => r.alertId);
    expect(alertIds.every((id) => typeof id === 'number')).toBe(true);
    // No alert to two seats.
    expect(new Set(alertIds).size).toBe(PROCESSES * SEATS);
    // The database agrees: one claim per seat, each on its own alert, each recorded once in an unbroken chain.
    const claims = await t.probe.query<{ alert_id: number; seat: string }>('SELECT alert_id, seat FROM claims ORDER BY alert_id');
    expect(claims).toHaveLength(PROCESSES * SEATS);
    expect(new Map(claims.map((c) => [c.seat, c.alert_id]))).toEqual(new Map(all.map((r) => [r.seat, r.alertId])));
    const log = await t.store.read(async (tx) => tx.audit.page(0, 10_000));
    expect(log.filter((e) => e.action === 'alert.claimed')).toHaveLength(PROCESSES * SEATS);
    let prev = GENESIS_HASH;
    for (const e of log) {
      expect(e.prev_hash).toBe(prev);
      expect(e.hash).toBe(
        auditEntryDigest(prev, { seq: e.seq, atUs: e.at_us, actor: e.actor, action: e.action, entity: e.entity, payloadJson: e.payload_json }),
      );
      prev = e.hash;
    }
    // Each server heard every claim once: its own after COMMIT, the other's through NOTIFY.
    for (const o of outcomes) {
      expect(o.heard).toHaveLength(PROCESSES * SEATS);
      expect(new Set(o.heard.map((h) => h.alertId))).toEqual(new Set(alertIds));
    }
    const ms = all.map((r) => r.ms).sort((a, b) => a - b);
    console.log(
      `${PROCESSES} processes, ${PROCESSES * SEATS} concurrent claimNext: p50 ${ms[Math.floor(ms.length / 2)]!.toFixed(1)} ms, max ${ms.at(-1)!.toFixed(1)} ms, wall ${Math.max(...outcomes.map((o) => o.wallMs)).toFixed(0)} ms`,
    );
  });
});
