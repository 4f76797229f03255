import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore, testSql } from '../../support/test-core.ts';
import { startHost, type Host } from '../../../src/host/server.ts';
import { centreCertificates, freePort } from '../../support/centre-tls.ts';
import { cli } from '../../support/cli.ts';
import { REPO } from '../../support/host.ts';
import { heldPush, multipartBody, workFiles } from '../../support/intake.ts';
import { hasSharedData, SHARED_DATA } from '../../support/shared-data.ts';
import { missing } from '../../support/skip.ts';
import { storeSnapshot } from '../../support/store-snapshot.ts';
import { tempDir } from '../../support/temp.ts';

const SOURCE = 'demo-kellan-heights';

/**
 * `earwitness push`, the reference sender, end to end: the demo's bundles pushed over real TLS
 * to a centre server (a private CA made by openssl) with a key issued by `earwitness source key`.
 * One place and no queue at the intake, so a held push makes the sender meet 429 and Retry-After.
 */
describe('earwitness push to a centre over TLS', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let host: Host;
  let data: string;
  let origin: string;
  let caFile: string;
  let caPem: string;
  let keyFile: string;
  let bundles: string;

  const push = (...extra: string[]) => cli(['push', bundles, '--to', origin, '--key-file', keyFile, '--ca', caFile, ...extra]);
  const lines = (stdout: string) => stdout.trim().split('\n');

  beforeAll(async () => {
    tmp = tempDir('earwitness-push-');
    data = join(tmp.dir, 'data');
    bundles = join(tmp.dir, 'bundles');
    expect((await cli(['demo', '--out', bundles, '--alerts', '3', '--seed', '7', '--quiet'])).status).toBe(0);
    const certs = centreCertificates(tmp.dir);
    caPem = certs.caPem;
    caFile = join(tmp.dir, 'centre-ca.pem');
    const port = await freePort();
    origin = `https://127.0.0.1:${port}`;
    core = await openTestCore({ dataDir: data });
    host = await startHost({
      core,
      rendererDir: join(REPO, 'dist', 'renderer'),
      network: { listenHost: '127.0.0.1', port, publicOrigin: origin, tls: { certPem: certs.certPem, keyPem: certs.keyPem } },
      intake: { concurrency: 1, queue: 0 },
    });
    keyFile = join(tmp.dir, 'kellan.key');
  }, 120_000);
  afterAll(async () => {
    await host?.close();
    await core?.close();
    tmp?.cleanup();
  });

  it('issues a key into a file only its owner reads, never over an existing file, and lists it without the key', async () => {
    const issued = await cli(['source', 'key', 'issue', SOURCE, '--out', keyFile, '--note', 'kellan sender', '--data', data]);
    expect(issued.status, issued.stderr).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issued.stdout).not.toContain(key);
    const again = await cli(['source', 'key', 'issue', SOURCE, '--out', keyFile, '--data', data]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/exists already.*was revoked again/);
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(key);
    const list = await cli(['source', 'key', 'list', '--json', '--data', data]);
    const { keys } = JSON.parse(list.stdout) as { keys: { id: number; source: string; note: string | null; revokedUs: number | null }[] };
    expect(keys.map((k) => [k.source, k.note, k.revokedUs === null])).toEqual([
      [SOURCE, 'kellan sender', true],
      [SOURCE, null, false],
    ]);
    expect(list.stdout).not.toContain(key);
    const audit = await testSql(core).column("SELECT action FROM audit_log WHERE action LIKE 'intake.%' ORDER BY seq");
    expect(audit).toEqual(['intake.key_issued', 'intake.key_issued', 'intake.key_revoked']);
  });

  it("pushes the demo's bundles, one line each; a second run finds them all there", async () => {
    const r = await push();
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const out = lines(r.stdout);
    expect(out).toHaveLength(3);
    for (const l of out) expect(l).toMatch(/^accepted +[^:]+: alert \d+$/);
    expect(await testSql(core).rows('SELECT source, count(*) AS n FROM alerts GROUP BY source')).toEqual([{ source: SOURCE, n: 3 }]);
    const again = await push();
    expect(again.status).toBe(0);
    for (const l of lines(again.stdout)) expect(l).toMatch(/^duplicate +[^:]+: alert \d+ \(stored before; nothing changed\)$/);
    expect(again.stderr).toMatch(/0 accepted, 3 duplicates, 0 refused/);
  });

  it('--demo is the demo network outside the centre: alerts simulated now, sent through the intake, no folder left behind', async () => {
    const before = (await testSql(core).value('SELECT count(*) FROM alerts')) as number;
    const scratch = join(tmp.dir, 'sender-tmp');
    mkdirSync(scratch);
    const tmpBefore = process.env.TMPDIR;
    process.env.TMPDIR = scratch; // os.tmpdir() of the sender, so what it leaves is seen
    const startedUs = Date.now() * 1000;
    let r;
    try {
      r = await cli(['push', '--demo', '--alerts', '2', '--interval', '0-0', '--seed', 'push_demo', '--to', origin, '--key-file', keyFile, '--ca', caFile]);
    } finally {
      process.env.TMPDIR = tmpBefore;
    }
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const out = lines(r.stdout);
    expect(out).toHaveLength(2);
    for (const l of out) expect(l).toMatch(/^accepted +KH-LIVE-\d{8}-\d{9}-000[12]: alert \d+$/);
    expect(r.stderr).toMatch(/2 accepted, 0 duplicates, 0 refused/);
    const sent = (await testSql(core).rows('SELECT source, external_id AS id, detected_us AS "detectedUs" FROM alerts ORDER BY alerts.id DESC LIMIT 2')) as {
      source: string;
      id: string;
      detectedUs: number;
    }[];
    expect(await testSql(core).value('SELECT count(*) FROM alerts')).toBe(before + 2);
    for (const a of sent) {
      expect(a.source).toBe(SOURCE);
      // Detected as it was sent, not at a fixed demo date.
      expect(Math.abs(a.detectedUs - startedUs)).toBeLessThan(120e6);
    }
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('refuses --demo options that make no sense before sending anything', async () => {
    const before = await storeSnapshot(core);
    const tries = [
      [['push', bundles, '--demo'], /takes no DIR/],
      [['push', bundles, '--alerts', '2'], /go with --demo/],
      [['push', '--demo', '--interval', '9-3'], /--interval is LOW-HIGH/],
      [['push', '--demo', '--interval', '1-99999'], /--interval is LOW-HIGH/],
      [['push', '--demo', '--alerts', '0'], /--alerts must be a whole number/],
      [['push', '--demo', '--seed', '../x'], /--seed must be/],
      [['push', '--demo', '--network', join(tmp.dir, 'no-such-network.json')], /no-such-network/],
    ] as const;
    for (const [args, message] of tries) {
      const r = await cli([...args, '--to', origin, '--key-file', keyFile, '--ca', caFile]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(await storeSnapshot(core)).toEqual(before);
  });

  it('waits as Retry-After says when the intake is busy, and gives up after --retries', async () => {
    const fresh = join(tmp.dir, 'fresh');
    expect((await cli(['demo', '--out', fresh, '--alerts', '1', '--seed', '8', '--quiet'])).status).toBe(0);
    const [dir] = readdirSync(fresh).filter((n) => !n.endsWith('.json'));
    const key = readFileSync(keyFile, 'utf8').trim();
    // A slow sender holds the only place: its alert.json is sent, the rest waits.
    const alert = readFileSync(join(fresh, dir!, 'alert.json'));
    const body = multipartBody([{ name: 'alert', fileName: 'alert.json', bytes: alert }]);
    const held = heldPush(origin, key, body, body.byteLength - 10, caPem);
    for (let i = 0; i < 200 && workFiles(data).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    const gaveUp = await cli(['push', fresh, '--to', origin, '--key-file', keyFile, '--ca', caFile, '--retries', '0']);
    expect(gaveUp.status).toBe(1);
    expect(gaveUp.stdout).toMatch(/^refused +[^:]+: 429: the intake queue is full: try again in \d+ s \(after 1 tries\)$/m);
    // Released a second from now: the sender, told to retry after a second or so, gets in.
    setTimeout(() => held.release(), 1000);
    const started = Date.now();
    const waited = await cli(['push', fresh, '--to', origin, '--key-file', keyFile, '--ca', caFile]);
    expect(waited.status, waited.stdout).toBe(0);
    expect(waited.stdout).toMatch(/^accepted /);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect((await held.answer).status).toBe(400); // alert.json alone: the importer misses its clips
  });

  it('refuses locally what it may not send: plain http to another machine, a bad key file, a clip outside the bundle', async () => {
    expect((await cli(['push', bundles, '--to', 'http://review.example', '--key-file', keyFile])).stderr).toMatch(/must be https/);
    const badKey = join(tmp.dir, 'bad.key');
    writeFileSync(badKey, 'not a key\n', { mode: 0o600 });
    expect((await cli(['push', bundles, '--to', origin, '--key-file', badKey])).stderr).toMatch(/does not hold an intake key/);
    const sneaky = join(tmp.dir, 'sneaky');
    const fresh = join(tmp.dir, 'fresh');
    const [dir] = readdirSync(fresh).filter((n) => !n.endsWith('.json'));
    const alert = JSON.parse(readFileSync(join(fresh, dir!, 'alert.json'), 'utf8')) as { sensors: { clip: string }[] };
    alert.sensors[0]!.clip = '../../data/earwitness.sqlite';
    mkdirSync(join(sneaky, 'B'), { recursive: true });
    writeFileSync(join(sneaky, 'B', 'alert.json'), JSON.stringify(alert));
    const before = await storeSnapshot(core);
    const r = await cli(['push', sneaky, '--to', origin, '--key-file', keyFile, '--ca', caFile]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^refused +B: not sent: .*climbs out of the bundle/m);
    expect(await storeSnapshot(core)).toEqual(before);
  });

  const sharedName = 'reads ../shared/data in place and says why none of it is a bundle to push (nothing sent, nothing stored)';
  it.skipIf(missing(hasSharedData, sharedName, `${SHARED_DATA} is absent (the real recordings live beside the repo)`))(sharedName, async () => {
    const before = await storeSnapshot(core);
    const r = await cli(['push', SHARED_DATA, '--to', origin, '--key-file', keyFile, '--ca', caFile]);
    expect(r.status).toBe(1);
    const out = lines(r.stdout);
    expect(out.length).toBeGreaterThan(0);
    for (const l of out) expect(l).toMatch(/^refused +.*: not sent: (it reads as .+, not an acoustic-alert\/1 bundle|no acoustic-alert\/1 bundle)/);
    expect(await storeSnapshot(core)).toEqual(before);
  });

  it('stops at a revoked key: the first bundle is refused with 401 and the rest are not sent', async () => {
    const { keys } = JSON.parse((await cli(['source', 'key', 'list', '--json', '--data', data])).stdout) as {
      keys: { id: number; revokedUs: number | null }[];
    };
    const live = keys.find((k) => k.revokedUs === null)!;
    expect((await cli(['source', 'key', 'revoke', String(live.id), '--data', data])).status).toBe(0);
    const r = await push();
    expect(r.status).toBe(1);
    const out = lines(r.stdout);
    expect(out[0]).toMatch(/^refused +[^:]+: 401: no intake key, or an unknown or revoked one/);
    expect(out.slice(1).every((l) => /not sent: the key was refused$/.test(l))).toBe(true);
  });
});
