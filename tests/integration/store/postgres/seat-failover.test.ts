import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { centreBrowser, type CentreBrowser } from '../../../support/centre-browser.ts';
import { startCentreServer, type CentreServer } from '../../../support/centre-server.ts';
import { centreCertificates } from '../../../support/centre-tls.ts';
import { cli } from '../../../support/cli.ts';
import { backendUnavailable, openTestDatabase, type TestDatabase } from '../../../support/database.ts';
import { tcpBalancer, type TcpBalancer } from '../../../support/tcp-balancer.ts';
import { tempDir } from '../../../support/temp.ts';

const SOURCE = 'demo-kellan-heights';
const PASSWORD = 'a long enough password';

/**
 * Issue 13: "a seat whose server dies reconnects to another and keeps its claim". Two `serve
 * --database` processes behind one TCP load balancer (one public origin, TLS passing through).
 * rita signs in and claims an alert on server A; A is killed -9; her browser's next requests
 * reach B, which takes her seat over: no new sign-in, the same seat, the claim still hers, her
 * event socket open again, the decision made. A browser with another key gets nothing of it.
 */
describe.skipIf(backendUnavailable('seat failover between servers', 'postgres'))('a seat whose server dies goes on at the other server', () => {
  let tmp: ReturnType<typeof tempDir>;
  let t: TestDatabase;
  let certs: ReturnType<typeof centreCertificates>;
  let balancer: TcpBalancer;
  const servers: CentreServer[] = [];

  beforeAll(async () => {
    tmp = tempDir('earwitness-failover-');
    t = await openTestDatabase('postgres');
    certs = centreCertificates(tmp.dir);
    chmodSync(certs.keyFile, 0o600);
    const db = ['--data', join(tmp.dir, 'data'), '--database', t.url];
    const added = await cli(['account', 'add', 'rita', '--role', 'reviewer', '--password-stdin', ...db], { stdin: `${PASSWORD}\n` });
    expect(added.status, added.stderr).toBe(0);
    const keyFile = join(tmp.dir, 'kellan.key');
    expect((await cli(['source', 'key', 'issue', SOURCE, '--out', keyFile, ...db])).status).toBe(0);
    const bundles = join(tmp.dir, 'bundles');
    expect((await cli(['demo', '--out', bundles, '--alerts', '1', '--seed', '5', '--quiet'])).status).toBe(0);

    // The balancer's port is the centre's public origin; both servers answer to it.
    const ports: number[] = [];
    balancer = await tcpBalancer(ports);
    const publicOrigin = `https://127.0.0.1:${balancer.port}`;
    for (let i = 0; i < 2; i++) {
      const server = await startCentreServer({ data: join(tmp.dir, 'data'), database: t.url, certFile: certs.certFile, keyFile: certs.keyFile, publicOrigin });
      servers.push(server);
      ports.push(server.port);
    }
    const caFile = join(tmp.dir, 'ca.pem');
    writeFileSync(caFile, certs.caPem);
    const pushed = await cli(['push', bundles, '--to', publicOrigin, '--key-file', keyFile, '--ca', caFile]);
    expect(pushed.status, pushed.stdout + pushed.stderr).toBe(0);
  }, 240_000);

  afterAll(async () => {
    for (const s of servers) await s.stop();
    await balancer?.close();
    await t?.close();
    tmp?.cleanup();
  });

  const eventSocket = (browser: CentreBrowser, seat: string) =>
    new Promise<string>((resolve) => {
      const ws = new WebSocket(`wss://127.0.0.1:${balancer.port}/api/events?session=${encodeURIComponent(seat)}`, {
        ca: certs.caPem,
        headers: { origin: `https://127.0.0.1:${balancer.port}`, cookie: browser.jar.join('; ') },
      });
      ws.once('open', () => {
        ws.close();
        resolve('open');
      });
      ws.once('error', () => resolve('refused'));
    });

  it('takes rita over at B with her seat and her claim, and nobody else', async () => {
    const [a, b] = servers as [CentreServer, CentreServer];
    const rita = centreBrowser(`https://127.0.0.1:${balancer.port}`, certs.caPem);
    expect((await rita.open()).status).toBe(200);
    expect((await rita.call('signIn', { name: 'rita', password: PASSWORD })).result.ok).toBe(true);
    const claimed = await rita.call('claimNext', {});
    expect(claimed.result.ok, JSON.stringify(claimed.result)).toBe(true);
    const alertId = (claimed.result.value as { claim: { alertId: number } }).claim.alertId;
    const seatTag = ((await rita.call('getSeat')).result.value as { seat: string }).seat;
    expect(balancer.passed.get(b.port)).toBeUndefined();

    a.child.kill('SIGKILL');
    await new Promise((resolve) => a.child.once('exit', resolve));

    // Her event socket reconnects first, as her tab's does; then her calls: B serves them on the seat she had.
    expect(await eventSocket(rita, rita.seat)).toBe('open');
    const beat = await rita.call('heartbeat', { active: true, alertId });
    expect(beat.result, JSON.stringify(beat.result)).toMatchObject({
      ok: true,
      value: { seat: { person: { name: 'rita' }, seat: seatTag }, claim: { alertId } },
    });
    const decided = await rita.call('decide', { alertId, class: 'fireworks', reviewMs: 9000 });
    expect(decided.result, JSON.stringify(decided.result)).toMatchObject({ ok: true, value: { decidedBy: 'rita' } });
    expect(balancer.passed.get(b.port)).toBeGreaterThan(0);

    // Her seat id without her browser's key opens nothing: not as a new browser, not with a key of the right shape.
    const stranger = centreBrowser(`https://127.0.0.1:${balancer.port}`, certs.caPem);
    expect((await stranger.call('getSeat', {}, rita.seat)).status).toBe(401);
    expect(await eventSocket(stranger, rita.seat)).toBe('refused');
    const forged = await stranger.send('/api/getSeat', {
      body: {},
      headers: { 'x-earwitness-session': rita.seat, cookie: `__Host-ew_browser=${'A'.repeat(43)}` },
    });
    expect(forged.status).toBe(401);

    const entries = await t.probe.query<{ actor: string; payload_json: string }>(
      "SELECT actor, payload_json FROM audit_log WHERE action = 'session.taken_over'",
    );
    expect(entries.map((e) => [e.actor, (JSON.parse(e.payload_json) as { seat: string }).seat])).toEqual([['rita', seatTag]]);
    expect(await t.probe.query("SELECT 1 FROM audit_log WHERE action = 'session.signout'")).toEqual([]);
    expect(b.child.exitCode).toBeNull();
  });
});
