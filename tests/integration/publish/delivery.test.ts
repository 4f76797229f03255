import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore, testSql } from '../../support/test-core.ts';
import { startDeliveryWorker } from '../../../src/publish/worker.ts';
import type { Delivery } from '../../../src/contract/index.ts';
import { tempDir } from '../../support/temp.ts';
import { startReceiver, type Receipt, type Receiver } from '../../support/receiver-process.ts';
import { validateCap } from '../../support/cap-validate.ts';
import { addAgency, decide, SECRET, seedAlert, session, waitFor } from '../../support/publish-fixtures.ts';

const FAST = { baseDelayMs: 50, maxDelayMs: 300, requestTimeoutMs: 800, pollMs: 50 };
const ok = (r: Receipt) => r.signatureValid && r.status === 200;

describe('delivery to a real receiver process on loopback', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let receiver: Receiver;
  const record = () => join(tmp.dir, 'received.jsonl');
  const deliveries = async (alertId: number) => {
    const incident = (await core.call(session(core), 'getIncident', { alertId }))!;
    return (await core.call(session(core), 'listDeliveries', { incidentId: incident.id })).deliveries;
  };
  const allDelivered = async (alertIds: number[]) => {
    for (const id of alertIds) if (!(await deliveries(id)).every((d) => d.state === 'delivered')) return false;
    return true;
  };

  beforeEach(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    receiver = await startReceiver({ record: record(), secrets: [SECRET] });
  });
  afterEach(async () => {
    await receiver.stop();
    await core.close();
    tmp.cleanup();
  });

  it('delivers a published incident, signed, as CAP that validates against the XSD and as schema-valid JSON', async () => {
    startDeliveryWorker(core, { config: FAST });
    await addAgency(core, { name: 'City PD', url: receiver.url('/cap') });
    await addAgency(core, { name: 'County', url: receiver.url('/json'), format: 'json', half: 0.2 });
    const seen: Delivery['state'][] = [];
    core.events.subscribe((e, p) => e === 'deliveryChanged' && seen.push((p as { delivery: Delivery }).delivery.state));
    const alertId = await seedAlert(core);
    await decide(core, alertId);
    await waitFor(() => allDelivered([alertId]), 'both deliveries');

    const got = receiver.received();
    expect(got).toHaveLength(2);
    expect(got.every(ok)).toBe(true);
    const cap = got.find((r) => r.path === '/cap')!;
    expect(cap.contentType).toMatch(/^application\/cap\+xml/);
    expect(await validateCap(cap.body)).toEqual({ valid: true, errors: [] });
    const json = JSON.parse(got.find((r) => r.path === '/json')!.body) as Record<string, unknown>;
    const validate = new Ajv2020({ strict: false }).compile(
      JSON.parse(readFileSync(new URL('../../../docs/publish/incident.schema.json', import.meta.url), 'utf8')) as object,
    );
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);

    const [d] = await deliveries(alertId);
    const detail = await core.call(session(core), 'getDelivery', { id: d!.id });
    expect(detail).toMatchObject({ why: null, attempts: [{ attempt: 1, httpStatus: 200, outcome: 'delivered' }] });
    expect(detail.attempts[0]!.latencyMs).toBeGreaterThan(0);
    expect(seen).toEqual(expect.arrayContaining(['pending', 'sending', 'delivered']));
  });

  it('gets every incident through a receiver that is down, then answers 500, then is slow', async () => {
    const port = receiver.port;
    await receiver.stop(); // down
    startDeliveryWorker(core, { config: FAST });
    await addAgency(core, { name: 'City PD', url: `http://127.0.0.1:${port}/cap` });
    const alerts: number[] = [];
    for (let i = 0; i < 5; i++) alerts.push(await seedAlert(core));
    for (const a of alerts) await decide(core, a);
    const attemptsSoFar = async () => ((await testSql(core).row('SELECT count(*) AS n FROM delivery_attempts')) as { n: number }).n;
    await waitFor(async () => (await attemptsSoFar()) >= 10, 'retries while the receiver is down');

    receiver = await startReceiver({ record: record(), secrets: [SECRET], port });
    await receiver.control({ status: 500 });
    await waitFor(() => receiver.received().length >= 10, 'requests answered with 500');
    await receiver.control({ status: 200, delayMs: 1500 }); // slower than the 800 ms timeout
    await waitFor(async () => await testSql(core).row("SELECT 1 FROM delivery_attempts WHERE error LIKE 'no answer within%'"), 'a timed-out attempt');
    await receiver.control({ delayMs: 0 });
    await waitFor(() => allDelivered(alerts), 'every incident delivered', 20_000);

    const got = receiver.received();
    const delivered = new Set(got.filter(ok).map((r) => r.message));
    expect(delivered.size).toBe(5);
    // A request that timed out on our side may have arrived anyway: its retry carries the same key.
    const keysByMessage = new Map<string, Set<string>>();
    for (const r of got) keysByMessage.set(r.message, (keysByMessage.get(r.message) ?? new Set()).add(r.idempotencyKey));
    expect([...keysByMessage.values()].every((k) => k.size === 1)).toBe(true);
    const errors = (await testSql(core).rows('SELECT error, http_status FROM delivery_attempts')) as { error: string | null; http_status: number | null }[];
    expect(errors.some((e) => e.error?.includes('connection refused'))).toBe(true);
    expect(errors.some((e) => e.http_status === 500)).toBe(true);
    const counted = (await testSql(core).rows(
      'SELECT d.attempts AS a, (SELECT count(*) FROM delivery_attempts t WHERE t.delivery_id = d.id) AS n FROM deliveries d',
    )) as { a: number; n: number }[];
    expect(counted.every((c) => c.a === c.n)).toBe(true);
  });

  it('sends a reclassification after publishing as a CAP Update that references the first message', async () => {
    startDeliveryWorker(core, { config: FAST });
    await addAgency(core, { name: 'City PD', url: receiver.url('/cap') });
    const alertId = await seedAlert(core);
    await decide(core, alertId, 'gunfire_multiple', 3);
    await waitFor(() => receiver.received().length === 1, 'the first message');
    await core.call(session(core), 'reviseDecision', { alertId, class: 'probable_gunfire', notes: 'could be fireworks: downgraded' });
    await waitFor(() => receiver.received().length === 2, 'the update');
    const [first, second] = receiver.received();
    const identifier = /<identifier>([^<]+)</.exec(first!.body)![1]!;
    const sender = /<sender>([^<]+)</.exec(first!.body)![1]!;
    const sent = /<sent>([^<]+)</.exec(first!.body)![1]!;
    expect(second!.body).toContain('<msgType>Update</msgType>');
    expect(second!.body).toContain(`<references>${sender},${identifier},${sent}</references>`);
    expect(second!.body).toContain('<certainty>Likely</certainty>');
    expect(await validateCap(second!.body)).toEqual({ valid: true, errors: [] });
  });

  it('fails at once on a refusal, says why, and delivers after an admin retry', async () => {
    startDeliveryWorker(core, { config: FAST });
    await receiver.control({ status: 400 });
    await addAgency(core, { name: 'City PD', url: receiver.url('/cap') });
    const alertId = await seedAlert(core);
    await decide(core, alertId);
    const [d] = await waitFor(async () => ((await deliveries(alertId))[0]?.state === 'failed' ? deliveries(alertId) : null), 'the refusal');
    const why = await core.call(session(core), 'getDelivery', { id: d!.id });
    expect(why.why).toMatch(/refused it \(HTTP 400\)/);
    expect(why.why).toMatch(/receiver says 400/);
    expect(why.attempts).toHaveLength(1);
    const reviewer = session(core, ['reviewer']);
    expect(await core.dispatch(reviewer, 'retryDelivery', { id: d!.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await receiver.control({ status: 200 });
    await core.call(session(core), 'retryDelivery', { id: d!.id });
    await waitFor(() => allDelivered([alertId]), 'the retried delivery');
    expect((await core.storePort.read((tx) => tx.deliveries.attempts(d!.id))).map((a) => a.outcome)).toEqual(['failed', 'delivered']);
    const retried = await core.dispatch(session(core), 'retryDelivery', { id: d!.id });
    expect(retried).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('a wrong secret is refused by the receiver (401) and the delivery fails, saying so', async () => {
    startDeliveryWorker(core, { config: FAST });
    await addAgency(core, { name: 'City PD', url: receiver.url('/cap'), secret: 'not-the-receivers-secret-at-all' });
    const alertId = await seedAlert(core);
    await decide(core, alertId);
    const [d] = await waitFor(async () => ((await deliveries(alertId))[0]?.state === 'failed' ? deliveries(alertId) : null), 'the refusal');
    expect(receiver.received()[0]!.signatureValid).toBe(false);
    expect((await core.call(session(core), 'getDelivery', { id: d!.id })).why).toMatch(/HTTP 401/);
  });

  it('gives up after the configured max age and marks the delivery failed', async () => {
    await receiver.stop();
    startDeliveryWorker(core, { config: { ...FAST, maxAgeMs: 1200 } });
    await addAgency(core, { name: 'City PD', url: receiver.url('/cap') });
    const alertId = await seedAlert(core);
    await decide(core, alertId);
    const [d] = await waitFor(async () => ((await deliveries(alertId))[0]?.state === 'failed' ? deliveries(alertId) : null), 'giving up', 10_000);
    expect(d!.lastError).toMatch(/gave up after \d+ attempts over 1 s; last: connection refused/);
    expect(d!.attempts).toBeGreaterThan(2);
  });

  it('keeps the messages to each agency in order when they queue up behind a down receiver', async () => {
    const port = receiver.port;
    await receiver.stop();
    startDeliveryWorker(core, { config: FAST });
    await addAgency(core, { name: 'City PD', url: `http://127.0.0.1:${port}/cap` });
    await addAgency(core, { name: 'County', url: `http://127.0.0.1:${port}/json`, format: 'json', half: 0.2 });
    const alertId = await seedAlert(core);
    await decide(core, alertId, 'gunfire_multiple', 3);
    await core.call(session(core), 'reviseDecision', { alertId, rounds: 4, notes: 'four on the spectrogram' });
    const incidentId = (await core.storePort.read((tx) => tx.incidents.byAlert(alertId)))!.id;
    await core.call(session(core), 'cancelIncident', { incidentId, reason: 'a film shoot with blanks, confirmed by the permit office' });
    await new Promise((r) => setTimeout(r, 300));
    receiver = await startReceiver({ record: record(), secrets: [SECRET], port });
    await waitFor(() => allDelivered([alertId]), 'all six deliveries', 15_000);
    for (const path of ['/cap', '/json']) {
      const seqs = receiver
        .received()
        .filter((r) => r.path === path && ok(r))
        .map((r) => Number(r.message.split('-').at(-1)));
      expect(seqs).toEqual([1, 2, 3]);
    }
  });

  it('cancels queued deliveries when an agency is removed', async () => {
    await receiver.control({ status: 503 });
    startDeliveryWorker(core, { config: FAST });
    const agency = await addAgency(core, { name: 'City PD', url: receiver.url('/cap') });
    const alertId = await seedAlert(core);
    await decide(core, alertId);
    await waitFor(() => receiver.received().length > 0, 'a first refused attempt');
    expect((await core.call(session(core), 'removeAgency', { id: agency.id })).cancelledDeliveries).toBe(1);
    const [d] = await deliveries(alertId);
    expect(d).toMatchObject({ state: 'cancelled', lastError: expect.stringMatching(/agency was removed/) });
    const before = receiver.received().length;
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received().length).toBe(before);
  });

  it('resumes an attempt a dead worker left open: interrupted, then sent again with the same key', async () => {
    await addAgency(core, { name: 'City PD', url: receiver.url('/cap') });
    const alertId = await seedAlert(core);
    await decide(core, alertId);
    const dead = `${hostname()}|2147483646|deadbeef`; // a pid no process has
    const now = core.clock.nowUs();
    const [claim] = await core.storePort.write((tx) => tx.deliveries.claim(now, dead, now + 3_600_000_000, 1, new Set()));
    expect(claim).toBeDefined();
    startDeliveryWorker(core, { config: FAST });
    await waitFor(() => allDelivered([alertId]), 'the resumed delivery');
    expect((await core.storePort.read((tx) => tx.deliveries.attempts(claim!.deliveryId))).map((a) => a.outcome)).toEqual(['interrupted', 'delivered']);
    expect((await core.storePort.read((tx) => tx.deliveries.get(claim!.deliveryId)))!.attempts).toBe(2);
    expect(receiver.received().map((r) => r.idempotencyKey)).toEqual([claim!.idempotencyKey]);
  });
});
