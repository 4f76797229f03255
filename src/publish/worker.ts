import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { CoreServices } from '../kernel/services.ts';
import type { AttemptResult, DeliveryClaim, EndpointForSending } from '../kernel/store-port.ts';
import { CAP_CONTENT_TYPE } from './cap.ts';
import { backoffMs, DEFAULT_DELIVERY_CONFIG, DeliveryConfig, deliveryConfigTx, verdict } from './delivery-config.ts';
import { newAgents, postOnce, TlsAgents, type Agents, type PostResult } from './http-post.ts';
import { JSON_CONTENT_TYPE } from './json-doc.ts';
import { signedHeaders } from './signing.ts';
import { deliveryView, incidentViewTx } from './views.ts';
import { log } from '../util/log.ts';

export const WORKER_ACTOR = 'system:delivery';
const HOST = hostname();
const RECOVERY_EVERY_MS = 2000;
const RELAXED = { durability: 'relaxed' } as const;

export interface DeliveryWorkerOptions {
  config?: Partial<DeliveryConfig>;
  random?: () => number;
}

/** A claimed delivery with what sending it needs, read in the claim's own write. */
interface Flight {
  claim: DeliveryClaim;
  endpoint: EndpointForSending | undefined;
  body: { cap: string; json: string; identifier: string } | undefined;
}

/**
 * Sends the outbox, through the store port (SQLite or PostgreSQL alike). Claims due deliveries
 * under a lease in one write (on PostgreSQL `FOR UPDATE SKIP LOCKED`, so two servers' workers
 * never take one delivery even while leadership briefly overlaps), POSTs them signed outside any
 * transaction, and settles each attempt with its audit entry in another write. The bookkeeping
 * writes are relaxed-durability: a lost claim is claimed again, a lost settlement sends again
 * with the same idempotency key. A crash at any moment leaves either an unclaimed row or an open
 * attempt under a dead owner's lease; at start (and every few seconds) open attempts of dead or
 * expired owners become "interrupted" and their deliveries are due again at once, with the same
 * body and key, whichever server's worker finds them. Per incident and endpoint, messages go out
 * in order. Every change is announced with `tx.emit`, so every server's seats hear it.
 */
export class DeliveryWorker {
  /** host|pid|random: lets a successor on this machine tell a dead owner from a live one. */
  readonly owner = `${HOST}|${process.pid}|${randomBytes(4).toString('hex')}`;
  /** The defaults and the caller's overrides until the stored setting is read at start. */
  config: DeliveryConfig;
  private leaseMs: number;
  private readonly overrides: Partial<DeliveryConfig>;
  private readonly random: () => number;
  private agents: Agents | null = null;
  /** Agents of endpoints with their own TLS identity or CA. */
  private tlsAgents: TlsAgents | null = null;
  /**
   * Claimed deliveries until their outcome is recorded. `answered` once the HTTP exchange is over:
   * it then holds no request slot, so the next claims go out while the settlement is written.
   */
  private readonly inFlight = new Map<number, { endpointId: number; abort: AbortController; answered: boolean }>();
  private results: AttemptResult[] = [];
  private flushScheduled = false;
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private timerAtMs = Infinity;
  private lastRecoveryMs = 0;
  private ready = false;
  private starting: Promise<void> = Promise.resolve();
  /** One tick at a time: its writes are awaited, and a wake during one runs another after it. */
  private ticking: Promise<void> | null = null;
  private tickAgain = false;
  private stopped = false;
  private unsubscribe: () => void = () => {};

  constructor(
    private readonly core: CoreServices,
    options: DeliveryWorkerOptions = {},
  ) {
    this.overrides = options.config ?? {};
    this.config = DeliveryConfig.parse({ ...DEFAULT_DELIVERY_CONFIG, ...this.overrides });
    this.leaseMs = leaseMsOf(this.config);
    this.random = options.random ?? Math.random;
  }

  start(): this {
    // A decision or a change of an incident commits and announces it (its incident and deliveries
    // too, each once, by the write that made them; on PostgreSQL whichever server made it): send at once.
    this.unsubscribe = this.core.events.subscribe((event) => {
      if (event === 'alertChanged' || event === 'incidentChanged') this.wake();
    });
    this.starting = this.begin();
    return this;
  }

  /** Resolves once the stored setting is read and the first look for work is under way. */
  started(): Promise<void> {
    return this.starting;
  }

  private async begin(): Promise<void> {
    for (;;) {
      try {
        this.config = await this.core.storePort.read((tx) => deliveryConfigTx(tx, this.overrides));
        break;
      } catch (e) {
        if (this.stopped) return;
        log.error({ reason: (e as Error).message }, 'delivery worker: could not read its settings, will try again');
        await new Promise((r) => setTimeout(r, DEFAULT_DELIVERY_CONFIG.pollMs));
      }
    }
    if (this.stopped) return;
    this.leaseMs = leaseMsOf(this.config);
    this.agents = newAgents(this.config.perEndpoint);
    this.tlsAgents = new TlsAgents(this.config.perEndpoint);
    this.ready = true;
    this.wake();
  }

  /** Look for work now (after a commit that queued deliveries). */
  wake(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.clearTimer();
    if (this.immediate) clearImmediate(this.immediate);
    await this.starting;
    await this.ticking;
    for (const f of this.inFlight.values()) f.abort.abort();
    // Aborted sends settle as interrupted; wait briefly for them, then close the sockets.
    const until = Date.now() + 2000;
    while ((this.inFlight.size > 0 || this.results.length > 0) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    await this.flushing;
    this.agents?.http.destroy();
    this.agents?.https.destroy();
    this.tlsAgents?.destroy();
  }

  private schedule(delayMs: number): void {
    if (this.stopped || !this.ready) return;
    if (delayMs <= 0) {
      // setTimeout(0) waits at least a millisecond; a wake after a commit should not.
      this.clearTimer();
      this.immediate ??= setImmediate(() => {
        this.immediate = null;
        this.tick();
      });
      return;
    }
    if (this.immediate) return;
    const at = Date.now() + delayMs;
    if (this.timer && this.timerAtMs <= at) return;
    this.clearTimer();
    this.timerAtMs = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAtMs = Infinity;
      this.tick();
    }, delayMs);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAtMs = Infinity;
  }

  private tick(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = this.look().finally(() => {
      this.ticking = null;
    });
  }

  private async look(): Promise<void> {
    let nextMs = this.config.pollMs;
    try {
      if (Date.now() - this.lastRecoveryMs > RECOVERY_EVERY_MS) await this.recover();
      const flights = await this.claim();
      for (const f of flights) void this.send(f);
      if (flights.length > 0 && this.sending().length < this.config.concurrency) nextMs = 0;
      else {
        // Due rows that could not be claimed wait for an earlier message or a free slot: a settlement wakes us then.
        const next = await this.core.storePort.read((tx) => tx.deliveries.nextDueUs());
        const untilDueMs = next === null ? Infinity : (next - this.core.clock.nowUs()) / 1000;
        nextMs = Math.ceil(untilDueMs > 0 ? Math.min(this.config.pollMs, untilDueMs) : this.config.pollMs);
      }
    } catch (e) {
      log.error({ reason: (e as Error).message }, 'delivery worker: tick failed, will try again');
    }
    if (this.tickAgain) {
      this.tickAgain = false;
      nextMs = 0;
    }
    this.schedule(nextMs);
  }

  /**
   * Leases up to the free slots' worth of due deliveries, and reads their endpoints and bodies, in
   * one relaxed write; seats hear "sending" when it commits. The callback may run again on
   * PostgreSQL (a serialization retry), so it counts the endpoints' slots afresh each time.
   */
  private async claim(): Promise<Flight[]> {
    if (this.stopped) return [];
    const sending = this.sending();
    const free = this.config.concurrency - sending.length;
    if (free <= 0) return [];
    const held = new Map<number, number>();
    for (const f of sending) held.set(f.endpointId, (held.get(f.endpointId) ?? 0) + 1);
    const skip = new Set(this.inFlight.keys());
    const now = this.core.clock.nowUs();
    const flights = await this.core.storePort.write(async (tx) => {
      const perEndpoint = new Map(held);
      const claims = await tx.deliveries.claim(now, this.owner, now + this.leaseMs * 1000, free, skip, (endpointId) => {
        const n = perEndpoint.get(endpointId) ?? 0;
        if (n >= this.config.perEndpoint) return false;
        perEndpoint.set(endpointId, n + 1);
        return true;
      });
      const out: Flight[] = [];
      for (const claim of claims) {
        out.push({ claim, endpoint: await tx.agencies.endpointForSending(claim.endpointId), body: await tx.incidents.body(claim.messageId) });
        const d = await tx.deliveries.get(claim.deliveryId);
        if (d) tx.emit('deliveryChanged', { delivery: deliveryView(d, now) });
      }
      return out;
    }, RELAXED);
    for (const f of flights) this.inFlight.set(f.claim.deliveryId, { endpointId: f.claim.endpointId, abort: new AbortController(), answered: false });
    return flights;
  }

  private async send({ claim: c, endpoint, body }: Flight): Promise<void> {
    const { clock } = this.core;
    const flight = this.inFlight.get(c.deliveryId)!;
    let result: PostResult;
    if (!endpoint || !body) {
      result = { status: null, latencyMs: 0, excerpt: null, error: 'the endpoint or message is missing from the store', retryAfterMs: null };
    } else {
      const text = endpoint.format === 'cap' ? body.cap : body.json;
      const headers = signedHeaders({
        secret: endpoint.secret,
        body: text,
        contentType: endpoint.format === 'cap' ? CAP_CONTENT_TYPE : JSON_CONTENT_TYPE,
        timestampS: Math.floor(clock.nowUs() / 1e6),
        idempotencyKey: c.idempotencyKey,
        deliveryId: c.deliveryId,
        attempt: c.attempt,
        messageIdentifier: body.identifier,
        userAgent: `Earwitness/${this.core.version}`,
      });
      result = await postOnce(endpoint.url, text, headers, {
        timeoutMs: this.config.requestTimeoutMs,
        agents: this.agents!,
        tlsAgents: this.tlsAgents!,
        tls: endpoint,
        signal: flight.abort.signal,
      });
    }
    if (flight.abort.signal.aborted) {
      // Stopping: leave the delivery for the next start (here or on another server), as a crash would, but say so now.
      try {
        await this.core.storePort.write(async (tx) => {
          const now = clock.nowUs();
          if (!(await tx.deliveries.interrupt(c.deliveryId, this.owner, now, 'the delivery worker stopped during this attempt'))) return;
          const d = await tx.deliveries.get(c.deliveryId);
          if (d) tx.emit('deliveryChanged', { delivery: deliveryView(d, now) });
        }, RELAXED);
      } catch {
        /* the store may already be closing; the lease's recovery resumes it */
      } finally {
        this.inFlight.delete(c.deliveryId);
      }
      return;
    }
    flight.answered = true;
    this.results.push(this.judge(c, result));
    this.flushSoon();
    this.wake(); // its request slot is free
  }

  /** The claims whose HTTP request is still out: what the concurrency limits count. */
  private sending(): { endpointId: number }[] {
    return [...this.inFlight.values()].filter((f) => !f.answered);
  }

  private judge(c: DeliveryClaim, r: PostResult): AttemptResult {
    const now = this.core.clock.nowUs();
    const base = {
      deliveryId: c.deliveryId,
      attempt: c.attempt,
      owner: this.owner,
      finishedUs: now,
      httpStatus: r.status,
      latencyMs: r.latencyMs,
      responseExcerpt: r.excerpt,
    };
    const v = verdict(r.status);
    if (v === 'delivered') return { ...base, outcome: 'delivered', error: null, nextAttemptUs: null };
    const what = r.error ?? `HTTP ${r.status}`;
    if (v === 'refused')
      return {
        ...base,
        outcome: 'failed',
        error: `the receiver refused it (HTTP ${r.status}); fix the endpoint or the receiver, then retry`,
        nextAttemptUs: null,
      };
    const deadline = c.windowStartUs + this.config.maxAgeMs * 1000;
    if (now >= deadline) {
      return {
        ...base,
        outcome: 'failed',
        error: `gave up after ${c.attempt} attempts over ${Math.round((now - c.windowStartUs) / 1e6)} s; last: ${what}`,
        nextAttemptUs: null,
      };
    }
    const delay = Math.max(backoffMs(c.attempt, this.config, this.random), Math.min(r.retryAfterMs ?? 0, this.config.maxDelayMs));
    // The last try lands on the deadline rather than past it.
    return { ...base, outcome: 'retry', error: what, nextAttemptUs: Math.min(now + delay * 1000, deadline) };
  }

  private flushSoon(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushing = this.flushing.then(() => this.flush());
    });
  }

  /** Settles every attempt finished since the last flush in one relaxed write (one commit for many), with their audit entries and news. */
  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const batch = this.results;
    this.results = [];
    if (batch.length === 0) return;
    const { storePort, clock } = this.core;
    try {
      await storePort.write(async (tx) => {
        const now = clock.nowUs();
        const incidents = new Set<number>();
        for (const r of batch) {
          const settled = await tx.deliveries.finish(r);
          const d = await tx.deliveries.get(r.deliveryId);
          if (!d) continue;
          if (settled && r.outcome !== 'retry')
            await tx.audit.append({
              atUs: r.finishedUs,
              actor: WORKER_ACTOR,
              action: r.outcome === 'delivered' ? 'delivery.delivered' : 'delivery.failed',
              entity: `incident:${d.incidentId}`,
              payload: {
                deliveryId: d.id,
                agencyId: d.agencyId,
                endpointId: d.endpointId,
                seq: d.seq,
                attempts: d.attempts,
                httpStatus: r.httpStatus,
                error: r.error,
              },
            });
          tx.emit('deliveryChanged', { delivery: deliveryView(d, now) });
          incidents.add(d.incidentId);
        }
        for (const id of incidents) {
          const i = await tx.incidents.get(id);
          if (i) tx.emit('incidentChanged', { incident: await incidentViewTx(tx, i, now) });
        }
      }, RELAXED);
    } catch (e) {
      // Unrecorded attempts stay open under our lease; recovery after the lease turns them into retries.
      log.error({ reason: (e as Error).message }, 'delivery worker: could not record attempts');
    }
    for (const r of batch) this.inFlight.delete(r.deliveryId);
    this.schedule(0);
  }

  /**
   * Interrupts attempts left open by owners that are gone: killed on this machine, or (any
   * machine) past their lease. Our own leases count too once they are past their time and no
   * send of ours holds them (a settlement that could not be recorded).
   */
  async recover(): Promise<number> {
    this.lastRecoveryMs = Date.now();
    const { storePort, clock } = this.core;
    const now = clock.nowUs();
    const leases = await storePort.read((tx) => tx.deliveries.leases());
    const orphans = leases.filter((l) => (l.owner === this.owner ? l.untilUs <= now && !this.inFlight.has(l.id) : l.untilUs <= now || ownerIsDead(l.owner)));
    if (orphans.length === 0) return 0;
    const reason = 'the delivery worker stopped during this attempt (crash or kill); the receiver may have it, the retry carries the same idempotency key';
    // The interrupt is guarded by the owner it read, so two servers recovering one orphan resume it once.
    const n = await storePort.write(async (tx) => {
      let resumed = 0;
      for (const o of orphans) {
        if (!(await tx.deliveries.interrupt(o.id, o.owner, now, reason))) continue;
        resumed++;
        const d = await tx.deliveries.get(o.id);
        if (d) tx.emit('deliveryChanged', { delivery: deliveryView(d, now) });
      }
      return resumed;
    }, RELAXED);
    if (n > 0) log.warn({ resumed: n }, 'delivery worker: resumed deliveries interrupted by a previous run');
    return n;
  }
}

/** Long enough that a live owner's slowest request ends well within it. */
const leaseMsOf = (c: DeliveryConfig): number => Math.max(60_000, 2 * c.requestTimeoutMs + 10_000);

/** True when an owner ran on this machine and its process is gone (or is us, under an older identity). */
function ownerIsDead(owner: string): boolean {
  const [host, pidText] = owner.split('|');
  const pid = Number(pidText);
  if (host !== HOST || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function startDeliveryWorker(
  core: CoreServices & { addWorker(w: { stop(): void | Promise<void> }): void },
  options?: DeliveryWorkerOptions,
): DeliveryWorker {
  const worker = new DeliveryWorker(core, options).start();
  core.addWorker(worker);
  return worker;
}
