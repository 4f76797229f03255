import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signedHeaders } from '../../../src/publish/signing.ts';
import { startReceiver, type Receiver } from '../../support/receiver-process.ts';
import { tempDir } from '../../support/temp.ts';

const SECRET = 'agency-signing-secret-0123456789';
const CAP =
  '<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>earwitness-abcd-1-1</identifier></alert>\n';

/** `earwitness receive`, as an agency runs it: a real process on loopback, signed requests made by the sender's own signing code. */
describe('earwitness receive (the reference receiver)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let receiver: Receiver;
  const out = () => join(tmp.dir, 'out');
  const start = () => startReceiver({ record: join(tmp.dir, 'record.jsonl'), secrets: [SECRET], out: out() });
  const post = (o: { body?: string; key?: string; timestampS?: number; secret?: string; tamper?: boolean } = {}) => {
    const body = o.body ?? CAP;
    const headers = signedHeaders({
      secret: o.secret ?? SECRET,
      body,
      contentType: 'application/cap+xml; charset=utf-8',
      timestampS: o.timestampS ?? Math.floor(Date.now() / 1000),
      idempotencyKey: o.key ?? 'key-1',
      deliveryId: 1,
      attempt: 1,
      messageIdentifier: 'earwitness-abcd-1-1',
      userAgent: 'test',
    });
    return fetch(receiver.url('/cap'), { method: 'POST', headers, body: o.tamper ? body.replace('-1-1', '-1-9') : body });
  };
  const stored = () => readdirSync(join(out(), 'messages'));

  beforeEach(async () => {
    tmp = tempDir();
    receiver = await start();
  });
  afterEach(async () => {
    await receiver.stop();
    tmp.cleanup();
  });

  it('stores a signed, fresh message once, and answers a repeat of its key 200 without storing it again, across a restart', async () => {
    expect((await post()).status).toBe(200);
    expect(stored()).toEqual(['000001-earwitness-abcd-1-1.xml']);
    expect(readFileSync(join(out(), 'messages', stored()[0]!), 'utf8')).toBe(CAP);
    const again = await post();
    expect([again.status, await again.text()]).toEqual([200, 'ok (already stored)']);
    await receiver.stop();
    receiver = await start();
    expect((await post()).status).toBe(200);
    expect(stored()).toHaveLength(1);
    const receipts = readFileSync(join(out(), 'receipts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { duplicate: boolean; stored: string | null });
    expect(receipts.map((r) => [r.duplicate, r.stored !== null])).toEqual([
      [false, true],
      [true, false],
      [true, false],
    ]);
  });

  it.each([
    ['an altered body', { tamper: true }, 'bad signature'],
    ['another secret', { secret: 'someone-else-secret-0123456789' }, 'bad signature'],
    ['a timestamp ten minutes old', { timestampS: Math.floor(Date.now() / 1000) - 600 }, 'timestamp outside 300 s of this clock'],
    ['no idempotency key', { key: '' }, 'no Idempotency-Key'],
  ])('refuses %s with 401 and the reason, storing nothing', async (_what, o, reason) => {
    const r = await post(o);
    expect([r.status, await r.text()]).toEqual([401, reason]);
    expect(stored()).toEqual([]);
  });

  it('takes its secrets from a file, one per path prefix', async () => {
    await receiver.stop();
    const file = join(tmp.dir, 'secrets');
    writeFileSync(file, `# agency secrets\n/cap=${SECRET}\n/json=another-secret-0123456789abc\n`);
    receiver = await startReceiver({ record: join(tmp.dir, 'record.jsonl'), secrets: [], secretFile: file, out: out() });
    expect((await post()).status).toBe(200);
    const wrongPath = await fetch(receiver.url('/json'), {
      method: 'POST',
      headers: (await import('../../../src/publish/signing.ts')).signedHeaders({
        secret: SECRET,
        body: CAP,
        contentType: 'application/cap+xml',
        timestampS: Math.floor(Date.now() / 1000),
        idempotencyKey: 'k2',
        deliveryId: 2,
        attempt: 1,
        messageIdentifier: 'm',
        userAgent: 't',
      }),
      body: CAP,
    });
    expect(wrongPath.status).toBe(401);
  });
});
