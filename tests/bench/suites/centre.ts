/**
 * The centre under load and faults (issue 13, "Figures"): a throwaway PostgreSQL cluster, two
 * `earwitness serve --database` processes on 127.0.0.1 over TLS sharing one data folder, behind a
 * TCP balancer (one public origin, TLS passing through, each source address kept on one server), a
 * loopback agency receiver, reviewers at simulated seats (API clients over HTTPS and the event
 * WebSocket, each from its own loopback address, so about half on each server) and the demo network
 * pushing to the intake at 10,000 alerts an hour. In the middle one server is killed -9 and started
 * again (its seats, taken over by the other, stay there), later the database is restarted (pg_ctl).
 *
 * - centre.double_claims: alerts "next" handed to a second seat while another held it, where the
 *   first was then still let act on it (a heartbeat kept it, it was reopened, or decided), plus
 *   alerts decided twice (by the seats' count and in the database). Must be 0. A lease that ran out
 *   (its seat's heartbeats did not get through) and went to another seat is no double claim: the
 *   first seat is told it lost it.
 * - centre.alerts_lost: accepted pushes (201, or 200 on a retry) whose (source, id) is not stored.
 * - centre.deliveries_lost: deliveries not received (signed, stored) at the receiver, plus gunfire
 *   decisions that made no incident and routed incidents that made no delivery.
 * - centre.claim_next_p99_ms: claimNext as a seat sees it (HTTPS, the server, the store), beside
 *   the bare `SELECT ... FOR UPDATE SKIP LOCKED` of the queue on the same database, timed from this
 *   process throughout the run.
 * - centre.event_p99_ms: a decision sent on one server to its alertChanged on a seat of the other,
 *   beside the same on a seat of the deciding server.
 * - centre.reconnect_s: the kill to each of its seats' first heartbeat on the other server, which
 *   took the seat over (the worst seat), beside the worst first start of a seat (open, sign in,
 *   first "next").
 * - centre.intake_p99_ms: an accepted push, request to answer, beside the median of the same.
 *
 * `--quick`: 10 seats thinking 0.5-4 s, 70 s of load (about two minutes in all).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { openCore } from '../../../src/core/core.ts';
import { generateSeries } from '../../../src/ingest/demo/generate.ts';
import { defaultNetwork } from '../../../src/ingest/demo/network.ts';
import type { GeneratedAlert } from '../../../src/ingest/demo/output.ts';
import { PostgresStore } from '../../../src/store/postgres/store.ts';
import { buildCli } from '../../support/build-cli.ts';
import { centreCertificates, freePort } from '../../support/centre-tls.ts';
import { SECRET } from '../../support/publish-fixtures.ts';
import { tcpBalancer, type TcpBalancer } from '../../support/tcp-balancer.ts';
import { insertAgencyAround } from '../../support/publishable.ts';
import { startReceiver, type Receiver } from '../../support/receiver-process.ts';
import { benchDatabase, type BenchDatabase } from '../../support/throwaway-postgres.ts';
import { pushAtRate } from '../centre/intake-load.ts';
import { Ledger, Reviewer } from '../centre/reviewer.ts';
import { centreServer, type CentreServer } from '../centre/server.ts';
import type { BenchSuite, Figure } from '../types.ts';

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const PASSWORD = 'bench reviewer password';
const INTAKE_PER_HOUR = 10_000;

export const suite: BenchSuite = {
  name: 'centre',
  async run(ctx) {
    const plan = ctx.quick
      ? { seats: 10, thinkMs: [500, 4000], loadMs: 70_000, killAt: 0.3, downMs: 8_000, dbRestartAt: 0.65 }
      : { seats: 50, thinkMs: [5_000, 40_000], loadMs: 330_000, killAt: 0.35, downMs: 15_000, dbRestartAt: 0.7 };
    const deadline = Date.now() + plan.loadMs + 240_000;
    buildCli();
    let db: BenchDatabase | null = null;
    let receiver: Receiver | null = null;
    const servers: CentreServer[] = [];
    let balancer: TcpBalancer | null = null;
    const reviewers: Reviewer[] = [];
    const probe = { client: null as pg.Client | null };
    try {
      db = await benchDatabase();
      ctx.log(`database ${new URL(db.url).pathname.slice(1)} on a throwaway cluster`);
      receiver = await startReceiver({ record: join(ctx.workDir, 'received.jsonl'), secrets: [SECRET] });

      // The demo network's alerts, rendered once; each push is a variant with a new id and new clip bytes.
      const network = defaultNetwork();
      const pool: GeneratedAlert[] = [...generateSeries({ network, seed: 'bench-centre', count: 12, startUs: Date.now() * 1000 - 3_600_000_000 })];
      const sensors = pool.flatMap((g) => g.alert.sensors);
      const centre = { lat: sensors.reduce((n, s) => n + s.lat, 0) / sensors.length, lon: sensors.reduce((n, s) => n + s.lon, 0) / sensors.length };
      const source = pool[0]!.alert.source;

      // The centre's people, its agency (a square well around the network) and the network's key, set up on its database.
      const setupPort = await PostgresStore.open(db.url, { migrations: false, max: 2 });
      const setup = openCore({ dataDir: join(ctx.workDir, 'setup'), storePort: setupPort });
      let key: string;
      try {
        const cli = setup.cliSession();
        for (let i = 0; i < plan.seats; i++) {
          const r = await setup.dispatch(cli, 'createAccount', { name: `rev${i}`, displayName: `Reviewer ${i}`, password: PASSWORD, roles: ['reviewer'] });
          if (!r.ok) throw new Error(`createAccount: ${r.error.message}`);
        }
        await setup.storePort.write(async (tx) => {
          const id = await insertAgencyAround(tx, { name: 'Bench City Police', at: centre, half: 0.5, url: receiver!.url('/cap') });
          // A simulated network's alerts go out as CAP Exercise, never Actual: this agency takes them, as a training partner would.
          const classes = ['gunfire_single', 'gunfire_multiple'] as const;
          await tx.agencies.update(id, {
            name: 'Bench City Police',
            classes: [...classes],
            accepts: ['Actual', 'Exercise'],
            atUs: Date.now() * 1000,
            by: 'admin',
          });
        });
        const issued = await setup.dispatch(cli, 'issueIntakeKey', { source });
        if (!issued.ok) throw new Error(`issueIntakeKey: ${issued.error.message}`);
        key = (issued.value as { secret: string }).secret;
      } finally {
        await setup.close();
      }

      const certs = centreCertificates(ctx.workDir);
      const dataDir = join(ctx.workDir, 'centre-data');
      mkdirSync(dataDir, { recursive: true });
      // One public origin, a load balancer's: TLS passes through to the servers, each source address kept on one server.
      const ports = [await freePort(), await freePort()];
      balancer = await tcpBalancer(ports, { sticky: true });
      const publicOrigin = `https://127.0.0.1:${balancer.port}`;
      for (const [i, name] of ['a', 'b'].entries())
        servers.push(
          centreServer({ name, port: ports[i]!, dataDir, databaseUrl: db.url, certFile: certs.certFile, keyFile: certs.keyFile, publicOrigin, log: ctx.log }),
        );
      await Promise.all(servers.map((s) => s.start()));
      const origins = servers.map((s) => s.origin);
      const originOfPort = new Map(ports.map((p, i) => [p, origins[i]!]));
      ctx.log(`servers at ${origins.join(' and ')}, behind a balancer at ${publicOrigin}`);

      const ledger = new Ledger();
      const killedAt = new Map<string, number>();
      let stopped = false;
      const [lo, hi] = plan.thinkMs as [number, number];
      for (let i = 0; i < plan.seats; i++)
        reviewers.push(
          new Reviewer({
            name: `rev${i}`,
            password: PASSWORD,
            origin: publicOrigin,
            localAddress: `127.0.0.${10 + i}`,
            serverOf: () => originOfPort.get(balancer!.routeOf(`127.0.0.${10 + i}`) ?? 0) ?? 'nowhere yet',
            ca: certs.caPem,
            think: () => lo + Math.random() * (hi - lo),
            killedAt,
            ledger,
            stopped: () => stopped || Date.now() > deadline,
          }),
        );

      // The bare queue query, timed from here on its own connection all along: the baseline of claim_next.
      probe.client = new pg.Client(db.url);
      await probe.client.connect();
      probe.client.on('error', () => undefined);
      const bareMs: number[] = [];
      const bareLoop = (async () => {
        while (!stopped) {
          const t = performance.now();
          try {
            const c = probe.client!;
            await c.query('BEGIN');
            await c.query(
              `SELECT a.id FROM alerts a LEFT JOIN claims c ON c.alert_id = a.id AND c.expires_us > $1
               WHERE a.status = 'pending' AND c.alert_id IS NULL ORDER BY a.detected_us, a.id LIMIT 1 FOR UPDATE OF a SKIP LOCKED`,
              [Date.now() * 1000],
            );
            await c.query('ROLLBACK');
            bareMs.push(performance.now() - t);
          } catch {
            // The database restarting: a new connection once it is back.
            await sleep(500);
            const c = new pg.Client(db!.url);
            c.on('error', () => undefined);
            if (
              await c.connect().then(
                () => true,
                () => false,
              )
            ) {
              void probe.client?.end().catch(() => undefined);
              probe.client = c;
            }
          }
          await sleep(200);
        }
      })();

      const loadStart = performance.now();
      const intake = pushAtRate({
        pool,
        origins: [publicOrigin],
        ca: certs.caPem,
        key,
        perHour: INTAKE_PER_HOUR,
        durationMs: plan.loadMs,
        workDir: join(ctx.workDir, 'outbox'),
        log: ctx.log,
      });
      // Seats start over the first ten seconds, as people sign in, with some alerts already queued.
      const seatRuns = reviewers.map(async (r, i) => {
        await sleep(2000 + (i * 8000) / plan.seats);
        await r.run();
      });

      const faults = (async () => {
        await sleep(plan.loadMs * plan.killAt);
        const victim = servers[0]!;
        killedAt.set(victim.origin, performance.now());
        await victim.kill();
        ctx.log(`${((performance.now() - loadStart) / 1000).toFixed(0)} s: killed server a (-9)`);
        await sleep(plan.downMs);
        await victim.start();
        ctx.log(`${((performance.now() - loadStart) / 1000).toFixed(0)} s: server a is back`);
        await sleep(Math.max(0, loadStart + plan.loadMs * plan.dbRestartAt - performance.now()));
        const t = performance.now();
        db!.restart();
        ctx.log(
          `${((performance.now() - loadStart) / 1000).toFixed(0)} s: database restarted (pg_ctl restart -m fast, ${((performance.now() - t) / 1000).toFixed(1)} s)`,
        );
      })();

      const progress = setInterval(() => {
        const decided = [...ledger.decided.values()].length;
        ctx.log(`${((performance.now() - loadStart) / 1000).toFixed(0)} s: ${decided} decided, ${ledger.claimNextMs.length} claimNext`);
      }, 30_000);
      try {
        await faults;
        const pushed = await intake;
        ctx.log(`intake: ${pushed.accepted.length} accepted, ${pushed.given_up} given up, refusals ${JSON.stringify(Object.fromEntries(pushed.refusals))}`);
        stopped = true;
        await Promise.all(seatRuns);
        await bareLoop;

        // Drain: every delivery delivered (or the time is up), then count.
        const q = new pg.Client(db.url);
        await q.connect();
        try {
          const waitUntil = Date.now() + 90_000;
          for (;;) {
            const { rows } = await q.query<{ n: string }>(`SELECT count(*) AS n FROM deliveries WHERE state = 'pending'`);
            if (Number(rows[0]!.n) === 0 || Date.now() > waitUntil) break;
            await sleep(1000);
          }
          const stored = await q.query<{ source: string; external_id: string }>('SELECT source, external_id FROM alerts');
          const have = new Set(stored.rows.map((r) => `${r.source}\u0000${r.external_id}`));
          const alertsLost = pushed.accepted.filter((a) => !have.has(`${a.source}\u0000${a.id}`)).length;
          const twice = await q.query<{ alert_id: string }>('SELECT alert_id FROM decisions WHERE undone_us IS NULL GROUP BY alert_id HAVING count(*) > 1');
          const seatTwice = [...ledger.decided.values()].filter((by) => by.length > 1).length;
          const doubleClaims = ledger.doubleClaims.length + Math.max(twice.rows.length, seatTwice);
          const keys = await q.query<{ idempotency_key: string }>('SELECT idempotency_key FROM deliveries');
          const received = new Set(
            receiver
              .received()
              .filter((r) => r.status === 200 && r.signatureValid)
              .map((r) => r.idempotencyKey),
          );
          const undelivered = keys.rows.filter((k) => !received.has(k.idempotency_key)).length;
          // Lost too: a gunfire decision that made no incident, or a routed incident with no delivery.
          // (An alert with no located position is an unrouted incident by design: an admin routes it.)
          const unpublished = await q.query<{ n: string }>(
            `SELECT (SELECT count(*) FROM decisions d WHERE d.class LIKE 'gunfire%' AND d.undone_us IS NULL
                       AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.alert_id = d.alert_id))
                  + (SELECT count(*) FROM incidents i WHERE i.state = 'routed'
                       AND NOT EXISTS (SELECT 1 FROM deliveries x WHERE x.incident_id = i.id)) AS n`,
          );
          const deliveriesLost = undelivered + Number(unpublished.rows[0]!.n);

          // Events: a decision on one server heard on a seat of the other, and on a seat of its own.
          const cross: number[] = [];
          const same: number[] = [];
          for (const [alertId, { atMs, server }] of ledger.decisionSent)
            for (const origin of origins) {
              const heard = ledger.eventAt.get(`${alertId}@${origin}`);
              if (heard !== undefined) (origin === server ? same : cross).push(heard - atMs);
            }

          const incidents = await q.query<{ state: string; reason: string | null; n: string }>(
            'SELECT state, unrouted_reason AS reason, count(*) AS n FROM incidents GROUP BY state, unrouted_reason',
          );
          ctx.log(`incidents: ${incidents.rows.map((r) => `${r.n} ${r.state}${r.reason ? ` (${r.reason.slice(0, 80)})` : ''}`).join(', ') || 'none'}`);
          ctx.log(
            `${ledger.decided.size} decided (${ledger.gunfireDecided} gunfire), ${keys.rows.length} deliveries, ${received.size} received; ` +
              `seats taken over by the other server ${ledger.takenOver}, back on their own ${ledger.backOnTheirServer}, signed in again ${ledger.signedInAgain}; ` +
              `claims kept over the kill ${ledger.claimsKept}, lost ${ledger.claimsLost}; seat errors ${JSON.stringify(Object.fromEntries(ledger.errors))}`,
          );
          for (const d of ledger.doubleClaims.slice(0, 5)) ctx.log(`double claim: alert ${d.alertId} held by ${d.first}, handed to ${d.second}`);
          if (ledger.decided.size === 0) throw new Error('the seats decided nothing: the figures would mean nothing');
          const firstStartS = Math.max(...reviewers.map((r) => r.firstStartMs)) / 1000;
          const figures: Figure[] = [
            {
              name: 'centre.double_claims',
              value: doubleClaims,
              unit: 'alerts',
              baseline: ledger.decided.size,
              baselineLabel: 'alerts decided',
              higherIsBetter: false,
            },
            {
              name: 'centre.alerts_lost',
              value: alertsLost,
              unit: 'alerts',
              baseline: pushed.accepted.length,
              baselineLabel: 'pushes accepted',
              higherIsBetter: false,
            },
            {
              name: 'centre.deliveries_lost',
              value: deliveriesLost,
              unit: 'deliveries',
              baseline: keys.rows.length,
              baselineLabel: 'deliveries the decisions made',
              higherIsBetter: false,
            },
            {
              name: 'centre.claim_next_p99_ms',
              value: quantile(ledger.claimNextMs, 0.99),
              unit: 'ms',
              baseline: quantile(bareMs, 0.99),
              baselineLabel: 'bare SELECT ... FOR UPDATE SKIP LOCKED, p99',
              higherIsBetter: false,
            },
            {
              name: 'centre.event_p99_ms',
              value: quantile(cross, 0.99),
              unit: 'ms',
              baseline: quantile(same, 0.99),
              baselineLabel: 'the event on a seat of the deciding server, p99',
              higherIsBetter: false,
            },
            {
              name: 'centre.reconnect_s',
              value: ledger.reconnectS.length ? Math.max(...ledger.reconnectS) : NaN,
              unit: 's',
              baseline: firstStartS,
              baselineLabel: "a seat's first start (open, sign in, first next), worst",
              higherIsBetter: false,
            },
            {
              name: 'centre.intake_p99_ms',
              value: quantile(pushed.acceptedMs, 0.99),
              unit: 'ms',
              baseline: quantile(pushed.acceptedMs, 0.5),
              baselineLabel: 'median of the same pushes',
              higherIsBetter: false,
            },
          ];
          return figures;
        } finally {
          await q.end();
        }
      } finally {
        clearInterval(progress);
        stopped = true;
      }
    } finally {
      for (const r of reviewers) r.close();
      await probe.client?.end().catch(() => undefined);
      await Promise.all(servers.map((s) => s.kill()));
      await balancer?.close();
      await receiver?.stop();
      await db?.close();
    }
  },
};
