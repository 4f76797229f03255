import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultNetwork } from '../../../../src/ingest/demo/network.ts';
import { centreBrowser } from '../../../support/centre-browser.ts';
import { startCentreServer, type CentreServer } from '../../../support/centre-server.ts';
import { centreCertificates } from '../../../support/centre-tls.ts';
import { cli } from '../../../support/cli.ts';
import { backendUnavailable, openTestDatabase, type TestDatabase } from '../../../support/database.ts';
import { SECRET, squareJurisdiction } from '../../../support/publish-fixtures.ts';
import { startReceiver, type Receiver } from '../../../support/receiver-process.ts';
import { tempDir } from '../../../support/temp.ts';

const SOURCE = 'demo-kellan-heights';
const PASSWORD = 'a long enough password';

/**
 * Issue 12's end: `earwitness serve --database postgres://...` runs the whole review loop, as two
 * servers of a centre on one database and one data folder (its clip store shared). An alert pushed
 * by a sensor network to one server is claimed and decided on the other, published to the agency
 * whose jurisdiction holds it and delivered there once, and the audit log verifies; every row is in
 * PostgreSQL, and the data folder holds no SQLite file at all.
 */
describe.skipIf(backendUnavailable('serve on PostgreSQL', 'postgres'))('two `serve --database` servers run the review loop', () => {
  let tmp: ReturnType<typeof tempDir>;
  let t: TestDatabase;
  let receiver: Receiver;
  let certs: ReturnType<typeof centreCertificates>;
  let data: string;
  let keyFile: string;
  const servers: CentreServer[] = [];
  const db = () => ['--data', data, '--database', t.url];

  const serve = async (): Promise<CentreServer> => {
    const server = await startCentreServer({ data, database: t.url, certFile: certs.certFile, keyFile: certs.keyFile });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    tmp = tempDir('earwitness-serve-pg-');
    t = await openTestDatabase('postgres');
    data = join(tmp.dir, 'data');
    certs = centreCertificates(tmp.dir);
    chmodSync(certs.keyFile, 0o600);
    receiver = await startReceiver({ record: join(tmp.dir, 'received.jsonl'), secrets: [SECRET] });
    for (const [name, role] of [
      ['ada', 'admin'],
      ['rita', 'reviewer'],
    ] as const) {
      const r = await cli(['account', 'add', name, '--role', role, '--password-stdin', ...db()], { stdin: `${PASSWORD}\n` });
      expect(r.status, r.stderr).toBe(0);
    }
    // The agency's jurisdiction holds the demo network; a simulated network's alerts publish as Exercise.
    const centre = defaultNetwork().spec.sensors[0]!;
    const geojson = join(tmp.dir, 'kellan.geojson');
    writeFileSync(geojson, squareJurisdiction({ lat: centre.lat, lon: centre.lon }, 0.2));
    const agency = await cli([
      'agency',
      'add',
      '--name',
      'Kellan Heights PD',
      '--geojson',
      geojson,
      '--url',
      receiver.url('/cap'),
      '--format',
      'cap',
      '--secret',
      SECRET,
      '--accepts',
      'Actual,Exercise',
      ...db(),
    ]);
    expect(agency.status, agency.stderr).toBe(0);
    keyFile = join(tmp.dir, 'kellan.key');
    const key = await cli(['source', 'key', 'issue', SOURCE, '--out', keyFile, ...db()]);
    expect(key.status, key.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    for (const s of servers) await s.stop();
    await receiver?.stop();
    await t?.close();
    tmp?.cleanup();
  });

  it('takes an alert pushed to one server and decided on the other to the agency once, with every row in PostgreSQL', async () => {
    const a = await serve();
    const b = await serve();

    const bundles = join(tmp.dir, 'bundles');
    expect((await cli(['demo', '--out', bundles, '--alerts', '1', '--seed', '11', '--quiet'])).status).toBe(0);
    const caFile = join(tmp.dir, 'ca.pem');
    writeFileSync(caFile, certs.caPem);
    const pushed = await cli(['push', bundles, '--to', a.origin, '--key-file', keyFile, '--ca', caFile]);
    expect(pushed.status, pushed.stdout + pushed.stderr).toBe(0);

    // rita reviews on the other server: the alert A took in is on B's queue, its audio in the shared clip store.
    const rita = centreBrowser(b.origin, certs.caPem);
    expect((await rita.open()).status).toBe(200);
    expect((await rita.call('signIn', { name: 'rita', password: PASSWORD })).result.ok).toBe(true);
    const claimed = await rita.call('claimNext', {});
    expect(claimed.result.ok, JSON.stringify(claimed.result)).toBe(true);
    const alertId = (claimed.result.value as { claim: { alertId: number } }).claim.alertId;
    const detail = (await rita.call('getAlert', { id: alertId })).result.value as { tracks: { clip: { sha256: string } }[] };
    const clip = await rita.send(`/clips/${detail.tracks[0]!.clip.sha256}`, { method: 'GET' });
    expect(clip.status).toBe(200);
    const decided = await rita.call('decide', { alertId, class: 'gunfire_multiple', rounds: 3, reviewMs: 12_000 });
    expect(decided.result.ok, JSON.stringify(decided.result)).toBe(true);

    // Whichever server leads the delivery worker sends it, once.
    await expect.poll(() => receiver.received().filter((r) => r.status === 200 && !r.duplicate).length, { timeout: 30_000 }).toBe(1);
    const received = receiver.received().find((r) => r.status === 200)!;
    expect(received.signatureValid).toBe(true);
    expect(received.body).toContain('<status>Exercise</status>');

    const verified = await cli(['audit', 'verify', '--json', ...db()]);
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    expect((JSON.parse(verified.stdout) as { ok: boolean }).ok).toBe(true);
    const count = async (sql: string) => Number((await t.probe.query<{ n: number }>(sql))[0]!.n);
    expect(await count("SELECT count(*) AS n FROM deliveries WHERE state = 'delivered'")).toBe(1);
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'decision.made'")).toBe(1);

    // Every row went to PostgreSQL: the data folder has its clips and logs, and no database file.
    expect(existsSync(join(data, 'clips'))).toBe(true);
    expect(existsSync(join(data, 'earwitness.sqlite'))).toBe(false);
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
  });
});
