/**
 * A stand-in for an agency's dispatch system, run as its own process by tests and the bench:
 * `node --import tsx tests/support/receiver.ts --record FILE [--port N] [--secret S] [--echo]`.
 * It verifies every request's HMAC signature and timestamp on its own (not with the app's
 * code, so the documented scheme is what is tested), records each request as one JSON line,
 * and answers as told by POST /__control {"status": 500, "delayMs": 2000}. It prints
 * {"port": N} on its first stdout line; with --echo, one line per request (without the body).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string' }, record: { type: 'string' }, secret: { type: 'string', multiple: true }, echo: { type: 'boolean' } } });
if (!values.record) throw new Error('--record FILE is required');
const record = values.record;
// Secrets per path prefix: "/agency-a=secret", or a bare secret for every path.
const secrets = (values.secret ?? []).map((s) => (s.startsWith('/') && s.includes('=') ? { path: s.slice(0, s.indexOf('=')), secret: s.slice(s.indexOf('=') + 1) } : { path: '', secret: s }));
let behaviour = { status: 200, delayMs: 0 };
const seenKeys = new Set<string>();

function verify(secret: string, ts: string, body: Buffer, header: string): boolean {
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${ts}.`).update(body).digest('hex')}`);
  const got = Buffer.from(header);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (req.url === '/__control' && req.method === 'POST') {
      behaviour = { ...behaviour, ...(JSON.parse(body.toString('utf8')) as Partial<typeof behaviour>) };
      res.writeHead(204).end();
      return;
    }
    const receivedUs = Math.round((performance.timeOrigin + performance.now()) * 1000);
    const ts = String(req.headers['x-earwitness-timestamp'] ?? '');
    const sig = String(req.headers['x-earwitness-signature'] ?? '');
    const secret = secrets.filter((s) => req.url?.startsWith(s.path)).sort((a, b) => b.path.length - a.path.length)[0]?.secret;
    const fresh = /^\d+$/.test(ts) && Math.abs(Date.now() / 1000 - Number(ts)) <= 300;
    const signatureValid = secret !== undefined && fresh && verify(secret, ts, body, sig);
    const key = String(req.headers['idempotency-key'] ?? '');
    const duplicate = seenKeys.has(key);
    const status = signatureValid ? behaviour.status : 401;
    if (signatureValid && status < 300) seenKeys.add(key);
    const entry = {
      receivedUs, method: req.method, path: req.url, status, signatureValid, duplicate, idempotencyKey: key,
      delivery: req.headers['x-earwitness-delivery'], attempt: req.headers['x-earwitness-attempt'], message: req.headers['x-earwitness-message'],
      contentType: req.headers['content-type'], timestamp: ts,
    };
    const answer = () => {
      // Recorded when answered, so a request the sender gave up on (timeout) is still on file.
      appendFileSync(record, `${JSON.stringify({ ...entry, body: body.toString('utf8') })}\n`);
      if (values.echo) process.stdout.write(`${JSON.stringify(entry)}\n`);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : signatureValid ? `receiver says ${status}` : 'bad signature');
    };
    if (behaviour.delayMs > 0) setTimeout(answer, behaviour.delayMs);
    else answer();
  });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(values.port ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
