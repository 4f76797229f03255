import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../src/contract/index.ts';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore, testSql } from '../../support/test-core.ts';
import { startHost, type Host } from '../../../src/host/server.ts';
import { SIGNIN_FAILURES_PER_ADDRESS } from '../../../src/host/signin-limit.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { REPO } from '../../support/host.ts';
import { heldPush, multipartBody, postIntake, workFiles, type RawPart } from '../../support/intake.ts';
import { storeSnapshot } from '../../support/store-snapshot.ts';
import { tempDir } from '../../support/temp.ts';

const KiB = 1024;
/** Small limits, so a burst and an oversize part are cheap to make; one push at a time, one waiting. */
const LIMITS = { concurrency: 1, queue: 1, partBytes: 200 * KiB, totalBytes: 1024 * KiB };

/** A bundle folder as the parts a sender puts in one request: alert.json first, then each clip. */
function partsOf(dir: string): RawPart[] {
  const alert = readFileSync(join(dir, 'alert.json'));
  const clips = readdirSync(dir)
    .filter((n) => n.endsWith('.wav'))
    .sort();
  return [{ name: 'alert', fileName: 'alert.json', bytes: alert }, ...clips.map((n) => ({ name: 'clip', fileName: n, bytes: readFileSync(join(dir, n)) }))];
}

describe('POST /intake/v1/alerts: sensor networks push bundles with their own key', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let host: Host;
  let origin: string;
  let dataDir: string;
  let key: string;
  let keyId: number;
  let bundleNo = 0;

  const issue = async (source: string): Promise<MethodOutput<'issueIntakeKey'>> => {
    const r = await core.dispatch(core.cliSession(), 'issueIntakeKey', { source });
    if (!r.ok) throw new Error(r.error.message);
    return r.value as MethodOutput<'issueIntakeKey'>;
  };
  /** A new valid bundle of the test network, each with its own id. */
  const bundle = (o: Parameters<typeof writeSimpleBundle>[1] = {}) => {
    bundleNo++;
    return writeSimpleBundle(join(tmp.dir, `b${bundleNo}`), { id: `PUSH-${bundleNo}`, source: 'north-test', sensors: 3, durationS: 1, ...o }).dir;
  };
  /** A refusal must change nothing: no row, no clip, no file left in the work folders. */
  const expectNothingWritten = async (before: Awaited<ReturnType<typeof storeSnapshot>>) => {
    expect(await storeSnapshot(core)).toEqual(before);
    expect(workFiles(dataDir)).toEqual([]);
  };

  beforeAll(async () => {
    tmp = tempDir('earwitness-intake-');
    dataDir = join(tmp.dir, 'data');
    core = await openTestCore({ dataDir });
    host = await startHost({ core, rendererDir: join(REPO, 'dist', 'renderer'), intake: LIMITS });
    origin = host.url;
    const issued = await issue('north-test');
    key = issued.secret;
    keyId = issued.key.id;
  });
  afterAll(async () => {
    await host?.close();
    await core?.close();
    tmp?.cleanup();
  });

  it('imports a pushed bundle through the importer, announces it, and records who brought it', async () => {
    const heard: number[] = [];
    const stop = core.events.subscribe((event, payload) => {
      if (event === 'alertAdded') heard.push((payload as { alert: { id: number } }).alert.id);
    });
    const r = await postIntake(origin, key, multipartBody(partsOf(bundle())));
    stop();
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ ok: true, value: { duplicate: false } });
    const alertId = r.json!.value!.alertId;
    expect(heard).toEqual([alertId]);
    const summary = (await core.storePort.read((tx) => tx.alerts.summary(alertId)))!;
    expect(summary).toMatchObject({ source: 'north-test', externalId: 'PUSH-1' });
    const entry = (await testSql(core).row("SELECT actor FROM audit_log WHERE action = 'alert.imported' AND entity = ?", `alert:${alertId}`)) as {
      actor: string;
    };
    expect(entry.actor).toBe(`intake:north-test:key-${keyId}`);
    const keys = await core.dispatch(core.cliSession(), 'listIntakeKeys', {});
    expect(keys.ok && (keys.value as MethodOutput<'listIntakeKeys'>).keys.find((k) => k.id === keyId)?.lastUsedUs).toBeGreaterThan(0);
    expect(workFiles(dataDir)).toEqual([]);
  });

  it('answers a repeat of (source, id) with the stored alert, duplicate: true, storing nothing', async () => {
    const dir = bundle();
    // The scheme's name is case-insensitive (RFC 9110): a sender writing "bearer" is let in.
    const first = await postIntake(origin, null, multipartBody(partsOf(dir)), { authorization: `bearer ${key}` });
    expect(first.status).toBe(201);
    const before = await storeSnapshot(core);
    const again = await postIntake(origin, key, multipartBody(partsOf(dir)));
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ ok: true, value: { alertId: first.json!.value!.alertId, duplicate: true } });
    await expectNothingWritten(before);
  });

  it("refuses another source's alert with 403, before its clips are read, and writes nothing", async () => {
    const before = await storeSnapshot(core);
    const r = await postIntake(origin, key, multipartBody(partsOf(bundle({ source: 'south-test' }))));
    expect(r.status).toBe(403);
    expect(r.json?.error?.message).toMatch(/this key is for source "north-test"; the alert names "south-test"/);
    await expectNothingWritten(before);
  });

  it('refuses no key, a malformed or unknown key, and a revoked key with 401', async () => {
    const body = multipartBody(partsOf(bundle()));
    const before = await storeSnapshot(core);
    const other = await issue('north-test');
    const revoked = await core.dispatch(core.cliSession(), 'revokeIntakeKey', { id: other.key.id });
    expect(revoked.ok && (revoked.value as MethodOutput<'revokeIntakeKey'>).revokedUs).toBeGreaterThan(0);
    const snapshotAfterRevoke = await storeSnapshot(core);
    expect(snapshotAfterRevoke.tables.intake_keys).toBe(before.tables.intake_keys! + 1);
    for (const k of [null, 'not-a-key', 'A'.repeat(43), other.secret, `${key}x`]) {
      const r = await postIntake(origin, k, body);
      expect(r.status, String(k)).toBe(401);
      expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(r.json?.error?.code).toBe('unauthenticated');
    }
    await expectNothingWritten(snapshotAfterRevoke);
    // Revoking twice says so and changes nothing.
    const twice = await core.dispatch(core.cliSession(), 'revokeIntakeKey', { id: other.key.id });
    expect(twice.ok ? 'ok' : twice.error.code).toBe('conflict');
  });

  it("refuses a malformed WAV with the importer's own message, and hostile JSON, with 400", async () => {
    const before = await storeSnapshot(core);
    const dir = bundle();
    const parts = partsOf(dir);
    parts[1] = { ...parts[1]!, bytes: Buffer.from('<!DOCTYPE html><html>404</html>') };
    const wav = await postIntake(origin, key, multipartBody(parts));
    expect(wav.status).toBe(400);
    expect(wav.json?.error?.message).toMatch(/does not start with RIFF/);
    expect(wav.json?.error?.message).not.toContain(dataDir);
    const proto = partsOf(bundle());
    proto[0] = { ...proto[0]!, bytes: '{"__proto__": {"polluted": true}, "format": "acoustic-alert/1"}' };
    const hostile = await postIntake(origin, key, multipartBody(proto));
    expect(hostile.status).toBe(400);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    const deep = partsOf(bundle());
    deep[0] = { ...deep[0]!, bytes: `${'['.repeat(5000)}${']'.repeat(5000)}` };
    expect((await postIntake(origin, key, multipartBody(deep))).status).toBe(400);
    await expectNothingWritten(before);
  });

  it('refuses path tricks in part names and in alert.json with 400, writing nothing anywhere', async () => {
    const before = await storeSnapshot(core);
    const dir = bundle();
    for (const name of ['../S-001.wav', '/etc/passwd', 'a/../../S-001.wav', '.hidden.wav', 'a\\b.wav', 'C:x.wav', 'alert.json']) {
      const parts = partsOf(dir);
      parts[1] = { ...parts[1]!, fileName: name };
      const r = await postIntake(origin, key, multipartBody(parts));
      expect(r.status, name).toBe(400);
    }
    for (const clip of ['../../earwitness.sqlite', '/etc/passwd']) {
      const d = bundle({ mutate: (a) => void ((a.sensors as { clip: string }[])[0]!.clip = clip) });
      const r = await postIntake(origin, key, multipartBody(partsOf(d)));
      expect(r.status, clip).toBe(400);
      expect(r.json?.error?.message).toMatch(/climbs out|absolute path/);
    }
    expect(readdirSync(tmp.dir).filter((n) => !/^(data|b\d+)$/.test(n))).toEqual([]);
    await expectNothingWritten(before);
  });

  it('refuses a part over its limit and a body over the total with 413; other shapes with 400 or 415', async () => {
    const before = await storeSnapshot(core);
    const parts = partsOf(bundle());
    parts[1] = { ...parts[1]!, bytes: Buffer.concat([parts[1]!.bytes as Buffer, Buffer.alloc(LIMITS.partBytes)]) };
    const big = await postIntake(origin, key, multipartBody(parts));
    expect(big.status).toBe(413);
    expect(big.json?.error?.message).toMatch(/over the 204800-byte limit of one part/);
    const huge = await postIntake(origin, key, Buffer.alloc(16), { 'content-length': String(LIMITS.totalBytes + 1) }).catch(() => null);
    // Refused on its declared length, before any byte is read (the socket may close under the client's unsent body).
    if (huge) expect(huge.status).toBe(413);
    const json = await postIntake(origin, key, Buffer.from('{}'), { 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    const clipFirst = partsOf(bundle());
    expect((await postIntake(origin, key, multipartBody([clipFirst[1]!, clipFirst[0]!]))).status).toBe(400);
    expect((await postIntake(origin, key, multipartBody([{ name: 'alert', bytes: 'a text field' }]))).status).toBe(400);
    expect((await postIntake(origin, key, Buffer.from('--nothing-here\r\n'))).status).toBe(400);
    await expectNothingWritten(before);
  });

  it('turns a burst away with 429 and Retry-After once the one place and the one queue slot are taken', async () => {
    const a = multipartBody(partsOf(bundle()));
    const b = multipartBody(partsOf(bundle()));
    // Two slow senders: one holds the place, one waits; their bodies stop halfway.
    // Held a little way into the first clip: alert.json is whole, so the one receiving has its folder.
    const held = (body: Buffer) => body.indexOf('filename="S-001.wav"') + 1000;
    const first = heldPush(origin, key, a, held(a));
    for (let i = 0; i < 200 && !workFiles(dataDir).some((f) => f.endsWith('/alert.json')); i++) await new Promise((r) => setTimeout(r, 25));
    const second = heldPush(origin, key, b, held(b));
    // Its headers reach the server at once; it waits in the queue without a folder.
    await new Promise((r) => setTimeout(r, 300));
    const before = await storeSnapshot(core);
    const receiving = workFiles(dataDir);
    // The push holding the place is being received into its work folder; the waiting one not yet.
    expect(receiving.filter((f) => f.endsWith('/alert.json'))).toHaveLength(1);
    const turned = await Promise.all([1, 2, 3].map(() => postIntake(origin, key, multipartBody(partsOf(bundle())))));
    for (const r of turned) {
      expect(r.status).toBe(429);
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(r.json?.error?.message).toMatch(/queue is full/);
    }
    expect(await storeSnapshot(core)).toEqual(before);
    expect(workFiles(dataDir)).toEqual(receiving);
    first.release();
    second.release();
    expect((await first.answer).status).toBe(201);
    expect((await second.answer).status).toBe(201);
    expect((await storeSnapshot(core)).tables.alerts).toBe(before.tables.alerts! + 2);
    expect(workFiles(dataDir)).toEqual([]);
  });

  it('tells an address that keeps presenting bad keys to wait, before any key is checked', async () => {
    // Last: it blocks 127.0.0.1 for this host.
    const body = multipartBody(partsOf(bundle()));
    // Earlier tests presented a few bad keys from this address already: they count too.
    let refused = 0;
    while ((await postIntake(origin, 'B'.repeat(43), body)).status === 401) {
      refused++;
      expect(refused).toBeLessThanOrEqual(SIGNIN_FAILURES_PER_ADDRESS);
    }
    expect(refused).toBeGreaterThan(0);
    // Now even the right key waits: the address is told before any key is looked at.
    const blocked = await postIntake(origin, key, body);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('POST /intake/v1/alerts with the default limits: the same alert pushed twice at once', () => {
  it('stores it once: one push gets 201, the other 200 with the same alert id and duplicate: true', async () => {
    const tmp = tempDir('earwitness-intake-race-');
    const core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    const host = await startHost({ core, rendererDir: join(REPO, 'dist', 'renderer') });
    try {
      const issued = await core.dispatch(core.cliSession(), 'issueIntakeKey', { source: 'race-net' });
      const key = (issued as { ok: true; value: MethodOutput<'issueIntakeKey'> }).value.secret;
      const dir = writeSimpleBundle(join(tmp.dir, 'R-1'), { id: 'R-1', source: 'race-net', sensors: 3, durationS: 1 }).dir;
      const body = multipartBody(partsOf(dir));
      const answers = await Promise.all([postIntake(host.url, key, body), postIntake(host.url, key, body)]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
      expect(new Set(answers.map((a) => a.json?.value?.alertId)).size).toBe(1);
      expect(answers.map((a) => a.json?.value?.duplicate).sort()).toEqual([false, true]);
      expect(await testSql(core).value("SELECT count(*) FROM alerts WHERE source = 'race-net'")).toBe(1);
      expect(workFiles(join(tmp.dir, 'data'))).toEqual([]);
    } finally {
      await host.close();
      await core.close();
      tmp.cleanup();
    }
  });
});
