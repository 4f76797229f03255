import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SingletonJob } from '../../../../src/kernel/leadership.ts';
import { PgLeadership } from '../../../../src/store/postgres/leadership.ts';
import { backendUnavailable, openTestDatabase, type TestDatabase } from '../../../support/database.ts';

const SCRIPT = join(import.meta.dirname, '../../../support/leader-process.ts');
const POLL_MS = 200;

/** A job that records whether it runs, and how often it was started and stopped. */
function recordedJob() {
  const job = { running: false, starts: 0, stops: 0, overlapped: false };
  const handlers: SingletonJob = {
    start() {
      if (job.running) job.overlapped = true;
      job.running = true;
      job.starts++;
    },
    stop() {
      job.running = false;
      job.stops++;
    },
  };
  return Object.assign(job, { handlers });
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<number> {
  const started = Date.now();
  while (!ok()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - started;
}

/** A leader in a process of its own; resolves once it has said whether it leads. */
function leaderProcess(url: string, job: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, url, job, String(POLL_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const said: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => said.push(l));
  return { child, said };
}

/**
 * Singleton jobs across servers on one PostgreSQL (issue 13: exactly one server at a time runs the
 * delivery worker, the inbox watcher, the demo network; taken over within seconds when it dies).
 */
describe.skipIf(backendUnavailable('leadership of singleton jobs', 'postgres'))('leadership of singleton jobs on PostgreSQL', () => {
  let t: TestDatabase;
  const leaderships: PgLeadership[] = [];
  const children: ChildProcess[] = [];
  const leadership = () => {
    const l = new PgLeadership(t.url, { pollMs: POLL_MS });
    leaderships.push(l);
    return l;
  };
  beforeEach(async () => {
    t = await openTestDatabase('postgres');
  });
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
    await Promise.all(leaderships.splice(0).map((l) => l.close()));
    await t.close();
  });

  it('runs a job in one of two servers; the other takes it over when it is given up, and never both at once', async () => {
    const a = recordedJob();
    const b = recordedJob();
    const onA = leadership().lead('delivery-worker', a.handlers);
    const onB = leadership().lead('delivery-worker', b.handlers);
    await until('a leader', () => a.running || b.running);
    await new Promise((r) => setTimeout(r, 3 * POLL_MS));
    expect([a.running, b.running].filter(Boolean)).toHaveLength(1);
    const [leader, follower, leaderJob] = a.running ? [a, b, onA] : [b, a, onB];
    expect(leaderJob.leading).toBe(true);
    await leaderJob.release();
    expect(leader.running).toBe(false);
    expect(leader.stops).toBe(1);
    const took = await until('the other to take over', () => follower.running);
    expect(took).toBeLessThan(5 * POLL_MS);
    expect(a.overlapped || b.overlapped).toBe(false);
  });

  it('leads different jobs independently: one server may run one and another the other', async () => {
    const one = leadership();
    const two = leadership();
    const deliveryOnOne = recordedJob();
    const inboxOnTwo = recordedJob();
    one.lead('delivery-worker', deliveryOnOne.handlers);
    two.lead('inbox-watcher', inboxOnTwo.handlers);
    await until('both jobs running', () => deliveryOnOne.running && inboxOnTwo.running);
  });

  it('a leader killed with -9 frees its job, and a live server takes it over within seconds', async () => {
    const dying = leaderProcess(t.url, 'demo-network');
    children.push(dying.child);
    await until('the process to lead', () => dying.said.includes('leading'), 30_000);
    const live = recordedJob();
    leadership().lead('demo-network', live.handlers);
    await new Promise((r) => setTimeout(r, 4 * POLL_MS));
    expect(live.running).toBe(false); // the other process leads it
    dying.child.kill('SIGKILL');
    const killedAt = Date.now();
    await until('the live server to take over', () => live.running, 10_000);
    const tookMs = Date.now() - killedAt;
    expect(tookMs).toBeLessThan(3000);
  });

  it('a leader that loses its database connection stops the job at once, and leads again once connected', async () => {
    const job = recordedJob();
    leadership().lead('inbox-watcher', job.handlers);
    await until('the job to run', () => job.running);
    // An administrator (or a failover) ends the leadership connection behind its back.
    const admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    try {
      const { rowCount } = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'earwitness-leadership'");
      expect(rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    await until('the job to stop', () => !job.running, 5000);
    expect(job.stops).toBe(1);
    await until('the job to run again', () => job.running, 10_000);
    expect(job.starts).toBe(2);
    expect(job.overlapped).toBe(false);
  });

  it('a job that cannot start is left to another server', async () => {
    let tries = 0;
    const failing = leadership().lead('qa-sampling', {
      start() {
        tries++;
        throw new Error('no sampler here');
      },
      stop() {},
    });
    await until('a try', () => tries >= 1);
    await new Promise((r) => setTimeout(r, 2 * POLL_MS));
    expect(failing.leading).toBe(false);
    const other = recordedJob();
    leadership().lead('qa-sampling', other.handlers);
    // The failing server tries again every round, so the other wins it within a few.
    await until('the other server to run it', () => other.running, 10_000);
  });
});
