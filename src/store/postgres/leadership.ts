import { createHash } from 'node:crypto';
import type { JobLeadership, Leadership, SingletonJob } from '../../kernel/leadership.ts';
import { log } from '../../util/log.ts';
import { createClient, type Client } from './pool.ts';

/** The first key of every Earwitness advisory lock ('EW' and a version), so other applications' locks never collide. */
const LOCK_SPACE = 0x45570001;

/** The second key: a job's name hashed to 32 bits (signed, as PostgreSQL's int4). */
export const jobLockKey = (name: string): number => createHash('sha256').update(`earwitness-job:${name}`).digest().readInt32BE(0);

export interface PgLeadershipOptions {
  /** How often a follower asks again, and a leader checks its connection (default 2 s). */
  pollMs?: number;
}

interface Held {
  name: string;
  job: SingletonJob;
  leading: boolean;
  released: boolean;
  /** The job's start or stop in progress, so the two never overlap. */
  transition: Promise<void>;
}

/**
 * Leadership on PostgreSQL with session advisory locks on one connection of its own: a job is led
 * by the process whose connection holds `pg_try_advisory_lock(LOCK_SPACE, key)`. PostgreSQL drops
 * the lock the moment that connection ends, so a server killed with -9, or cut off from the
 * database, frees its jobs; the others ask every `pollMs` and one takes them. A leader checks its
 * connection as often: when it is lost, every job it led is stopped before it connects again
 * (another server may already lead them), so two servers run a job together at most for the time
 * a lost connection takes to notice.
 */
export class PgLeadership implements Leadership {
  private readonly jobs = new Map<number, Held>();
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly pollMs: number;
  private round: Promise<void> = Promise.resolve();

  constructor(
    private readonly url: string,
    options: PgLeadershipOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 2000;
  }

  lead(name: string, job: SingletonJob): JobLeadership {
    const key = jobLockKey(name);
    if (this.jobs.has(key)) throw new Error(`the job ${name} is led already in this process`);
    const held: Held = { name, job, leading: false, released: false, transition: Promise.resolve() };
    this.jobs.set(key, held);
    this.schedule(0);
    return {
      get leading() {
        return held.leading;
      },
      release: async () => {
        if (held.released) return;
        held.released = true;
        this.jobs.delete(key);
        await this.round;
        await this.stopJob(held);
        if (this.client) await this.client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_SPACE, key]).catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.round;
    await Promise.all([...this.jobs.values()].map((h) => this.stopJob(h)));
    this.jobs.clear();
    // Ending the connection frees every lock it holds.
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.round = this.round
        .then(() => this.poll())
        .catch((e: unknown) => log.error({ err: e }, 'a leadership round failed'))
        .finally(() => this.schedule(this.pollMs));
    }, ms);
    this.timer.unref();
  }

  /** One round: connected, the connection checked, every job not led here asked for. */
  private async poll(): Promise<void> {
    if (this.closed || this.jobs.size === 0) return;
    let client: Client;
    try {
      client = await this.connected();
      await client.query('SELECT 1');
    } catch (e) {
      await this.lost(e as Error);
      return;
    }
    for (const [key, held] of this.jobs) {
      if (held.leading || held.released) continue;
      let got: boolean;
      try {
        const { rows } = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS got', [LOCK_SPACE, key]);
        got = rows[0]?.got === true;
      } catch (e) {
        await this.lost(e as Error);
        return;
      }
      if (got && !held.released && !this.closed) await this.startJob(held, key);
    }
  }

  private connected(): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    return (this.connecting ??= (async () => {
      // Keepalive and a bound on each query: a database that stops answering (a cut network, no RST)
      // counts as lost within a round or two, as one that closed the connection does.
      const client = createClient(this.url, 'earwitness-leadership', { keepAlive: true, query_timeout: Math.max(1000, this.pollMs) });
      // An error on an idle connection is noticed by the next round's check; it must not crash the process.
      client.on('error', (e) => log.warn(`the PostgreSQL leadership connection failed: ${e.message}`));
      try {
        await client.connect();
      } catch (e) {
        await client.end().catch(() => undefined);
        throw e;
      } finally {
        this.connecting = null;
      }
      this.client = client;
      return client;
    })());
  }

  /** The connection is gone, and the locks with it: every job led here stops now. */
  private async lost(e: Error): Promise<void> {
    const led = [...this.jobs.values()].filter((h) => h.leading);
    if (led.length) log.warn(`lost the database connection that holds ${led.map((h) => h.name).join(', ')} (${e.message}); stopping them here`);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
    await Promise.all(led.map((h) => this.stopJob(h)));
  }

  private startJob(held: Held, key: number): Promise<void> {
    held.leading = true;
    log.info(`leading ${held.name}`);
    return (held.transition = held.transition.then(async () => {
      try {
        await held.job.start();
      } catch (e) {
        // Not run here, so not held here: another server (or a later round) may do better.
        log.error({ err: e }, `${held.name} could not start; leaving it to another server`);
        held.leading = false;
        await this.client?.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_SPACE, key]).catch(() => undefined);
      }
    }));
  }

  private stopJob(held: Held): Promise<void> {
    if (!held.leading) return held.transition;
    held.leading = false;
    return (held.transition = held.transition.then(async () => {
      try {
        await held.job.stop();
      } catch (e) {
        log.error({ err: e }, `${held.name} did not stop cleanly`);
      }
    }));
  }
}
