import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { CoreServices } from '../core/services.ts';
import type { AttemptResult, Claim } from '../store/deliveries.ts';
import { CAP_CONTENT_TYPE } from './cap.ts';
import { backoffMs, deliveryConfig, verdict, type DeliveryConfig } from './delivery-config.ts';
import { newAgents, postOnce, TlsAgents, type Agents, type PostResult } from './http-post.ts';
import { JSON_CONTENT_TYPE } from './json-doc.ts';
import { signedHeaders } from './signing.ts';
import { deliveryView, incidentView } from './views.ts';
import { log } from '../util/log.ts';

export const WORKER_ACTOR = 'system:delivery';
const HOST = hostname();

export interface DeliveryWorkerOptions {
  config?: Partial<DeliveryConfig>;
  random?: () => number;
}

/**
 * Sends the outbox. Claims due deliveries under a lease in one transaction, POSTs them signed,
 * and settles each attempt in another, so a crash at any moment leaves either an unclaimed row
 * or an open attempt under a dead owner's lease; at start (and every few seconds) open attempts
 * of dead owners become "interrupted" and their deliveries are due again at once, with the same
 * body and idempotency key. Per incident and endpoint, messages go out in order.
 */
export class DeliveryWorker {
  /** host|pid|random: lets a successor on this machine tell a dead owner from a live one. */
  readonly owner = `${HOST}|${process.pid}|${randomBytes(4).toString('hex')}`;
  readonly config: DeliveryConfig;
  private readonly leaseMs: number;
  private readonly random: () => number;
  private readonly agents: Agents;
  /** Agents of endpoints with their own TLS identity or CA. */
  private readonly tlsAgents: TlsAgents;
  private readonly inFlight = new Map<number, { endpointId: number; abort: AbortController }>();
  private results: AttemptResult[] = [];
  private flushScheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private timerAtMs = Infinity;
  private lastRecoveryMs = 0;
  private stopped = false;
  private unsubscribe: () => void = () => {};

  constructor(
    private readonly core: CoreServices,
    options: DeliveryWorkerOptions = {},
  ) {
    this.config = deliveryConfig(core.store, options.config);
    this.leaseMs = Math.max(60_000, 2 * this.config.requestTimeoutMs + 10_000);
    this.random = options.random ?? Math.random;
    this.agents = newAgents(this.config.perEndpoint);
    this.tlsAgents = new TlsAgents(this.config.perEndpoint);
  }

  start(): this {
    // A decision or a change of an incident commits and announces it (its incident and deliveries
    // too, each once, by the write that made them): send at once.
    this.unsubscribe = this.core.events.subscribe((event) => {
      if (event === 'alertChanged' || event === 'incidentChanged') this.wake();
    });
    this.recover();
    this.wake();
    return this;
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
    for (const f of this.inFlight.values()) f.abort.abort();
    // Aborted sends settle as interrupted; wait briefly for them, then close the sockets.
    const until = Date.now() + 2000;
    while ((this.inFlight.size > 0 || this.results.length > 0) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    this.agents.http.destroy();
    this.agents.https.destroy();
    this.tlsAgents.destroy();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
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
    try {
      if (Date.now() - this.lastRecoveryMs > 2000) this.recover();
      const claims = this.claim();
      for (const c of claims) void this.send(c);
      const { store, clock, events } = this.core;
      // Seats hear "sending" once the requests are on their way, not before.
      for (const c of claims) {
        const d = store.deliveries.get(c.deliveryId);
        if (d) events.emit('deliveryChanged', { delivery: deliveryView(d, clock.nowUs()) });
      }
      if (claims.length > 0 && this.inFlight.size < this.config.concurrency) return this.schedule(0);
      // Due rows that could not be claimed wait for an earlier message or a free slot: a settlement wakes us then.
      const next = store.deliveries.nextDueUs();
      const untilDueMs = next === null ? Infinity : (next - clock.nowUs()) / 1000;
      this.schedule(Math.ceil(untilDueMs > 0 ? Math.min(this.config.pollMs, untilDueMs) : this.config.pollMs));
    } catch (e) {
      log.error({ reason: (e as Error).message }, 'delivery worker: tick failed, will try again');
      this.schedule(this.config.pollMs);
    }
  }

  private claim(): Claim[] {
    const free = this.config.concurrency - this.inFlight.size;
    if (free <= 0) return [];
    const { store, clock } = this.core;
    const perEndpoint = new Map<number, number>();
    for (const f of this.inFlight.values()) perEndpoint.set(f.endpointId, (perEndpoint.get(f.endpointId) ?? 0) + 1);
    const now = clock.nowUs();
    const claims = store.deliveries.bookkeeping(() =>
      store.deliveries.claim(now, this.owner, now + this.leaseMs * 1000, free, new Set(this.inFlight.keys()), (endpointId) => {
        const n = perEndpoint.get(endpointId) ?? 0;
        if (n >= this.config.perEndpoint) return false;
        perEndpoint.set(endpointId, n + 1);
        return true;
      }),
    );
    for (const c of claims) this.inFlight.set(c.deliveryId, { endpointId: c.endpointId, abort: new AbortController() });
    return claims;
  }

  private async send(c: Claim): Promise<void> {
    const { store, clock } = this.core;
    const flight = this.inFlight.get(c.deliveryId)!;
    let result: PostResult;
    const endpoint = store.agencies.endpointForSending(c.endpointId);
    const body = store.incidents.body(c.messageId);
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
        agents: this.agents,
        tlsAgents: this.tlsAgents,
        tls: endpoint,
        signal: flight.abort.signal,
      });
    }
    if (flight.abort.signal.aborted) {
      // Stopping: leave the delivery for the next start, as a crash would, but say so now.
      this.inFlight.delete(c.deliveryId);
      try {
        store.tx(() => store.deliveries.interrupt(c.deliveryId, this.owner, clock.nowUs(), 'the delivery worker stopped during this attempt'));
      } catch {
        /* the store may already be closing; the next start recovers it */
      }
      return;
    }
    this.results.push(this.judge(c, result));
    this.flushSoon();
  }

  private judge(c: Claim, r: PostResult): AttemptResult {
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
    setImmediate(() => this.flush());
  }

  /** Settles every attempt finished since the last flush in one transaction (one fsync for many). */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.results;
    this.results = [];
    if (batch.length === 0) return;
    const { store, events, clock } = this.core;
    try {
      store.deliveries.bookkeeping(() => {
        for (const r of batch) {
          if (!store.deliveries.finish(r)) continue;
          if (r.outcome === 'retry') continue;
          const d = store.deliveries.get(r.deliveryId)!;
          store.audit.append({
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
        }
      });
    } catch (e) {
      // Unrecorded attempts stay open under our lease; recovery after the lease turns them into retries.
      log.error({ reason: (e as Error).message }, 'delivery worker: could not record attempts');
    }
    const now = clock.nowUs();
    const incidents = new Set<number>();
    for (const r of batch) {
      this.inFlight.delete(r.deliveryId);
      const d = store.deliveries.get(r.deliveryId);
      if (!d) continue;
      events.emit('deliveryChanged', { delivery: deliveryView(d, now) });
      incidents.add(d.incidentId);
    }
    for (const id of incidents) {
      const i = store.incidents.get(id);
      if (i) events.emit('incidentChanged', { incident: incidentView(store, i, now) });
    }
    this.schedule(0);
  }

  /** Interrupts attempts left open by owners that are gone (crashed, killed, or past their lease). */
  recover(): number {
    this.lastRecoveryMs = Date.now();
    const { store, clock } = this.core;
    const now = clock.nowUs();
    const orphans = store.deliveries.leases().filter((l) => l.owner !== this.owner && (l.untilUs <= now || ownerIsDead(l.owner)));
    if (orphans.length === 0) return 0;
    const reason = 'the delivery worker stopped during this attempt (crash or kill); the receiver may have it, the retry carries the same idempotency key';
    const n = store.tx(() => orphans.filter((o) => store.deliveries.interrupt(o.id, o.owner, now, reason)).length);
    if (n > 0) log.warn({ resumed: n }, 'delivery worker: resumed deliveries interrupted by a previous run');
    return n;
  }
}

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
