import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './command.ts';
import type { CliIo } from './io.ts';

/**
 * `earwitness receive`: the reference receiver an agency's IT runs to see, verify and store what
 * Earwitness sends, and what the end-to-end tests deliver to. It checks the documented scheme
 * with node's crypto alone, not with the sender's code (docs/publish/README.md, "The request"):
 * HMAC-SHA256 over "<timestamp>.<body>", the timestamp within a window of the receiver's clock,
 * and the Idempotency-Key (a repeat is answered 200 and stored once). With --out DIR every
 * accepted message is written to DIR/messages and every request to DIR/receipts.jsonl; the keys
 * seen survive a restart because they are read back from there.
 */

interface Secret {
  path: string;
  secret: string;
}
export interface ReceiptLine {
  receivedUs: number;
  method: string | undefined;
  path: string | undefined;
  status: number;
  signatureValid: boolean;
  fresh: boolean;
  duplicate: boolean;
  idempotencyKey: string;
  delivery: unknown;
  attempt: unknown;
  message: unknown;
  contentType: unknown;
  timestamp: string;
  stored: string | null;
}

const MAX_BODY = 4 * 1024 * 1024;

/** "secret" for every path, or "/path=secret" for one path prefix; one per line in a secret file. */
function parseSecrets(lines: string[]): Secret[] {
  return lines
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((s) => (s.startsWith('/') && s.includes('=') ? { path: s.slice(0, s.indexOf('=')), secret: s.slice(s.indexOf('=') + 1) } : { path: '', secret: s }));
}

function signatureMatches(secret: string, ts: string, body: Buffer, header: string): boolean {
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${ts}.`).update(body).digest('hex')}`);
  const got = Buffer.from(header);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

const extensionOf = (contentType: string): string => (contentType.includes('xml') ? 'xml' : 'json');
const safeName = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120) || 'message';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'secret-file': { type: 'string' },
      secret: { type: 'string', multiple: true },
      out: { type: 'string' },
      record: { type: 'string' },
      window: { type: 'string' },
      echo: { type: 'boolean' },
      'test-control': { type: 'boolean' },
    },
  });
  const secrets = [
    ...(values['secret-file'] ? parseSecrets(readFileSync(values['secret-file'], 'utf8').split('\n')) : []),
    ...parseSecrets(values.secret ?? []),
  ];
  if (secrets.length === 0) throw new UsageError('give --secret-file FILE (one secret per line, or /path=secret per line)');
  const port = Number(values.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port is 0 to 65535');
  const windowS = Number(values.window ?? 300);
  if (!(windowS > 0)) throw new UsageError('--window is a number of seconds above 0');
  const host = values.host ?? '127.0.0.1';
  const out = values.out;
  const seen = new Set<string>();
  if (out) {
    mkdirSync(join(out, 'messages'), { recursive: true });
    const receipts = join(out, 'receipts.jsonl');
    if (existsSync(receipts)) {
      for (const l of readFileSync(receipts, 'utf8').split('\n')) {
        if (!l) continue;
        const r = JSON.parse(l) as ReceiptLine;
        if (r.stored) seen.add(r.idempotencyKey);
      }
    }
  }
  // Test hook: POST /__control {"status": 500, "delayMs": 2000} sets how it answers. Off unless asked.
  let behaviour = { status: 200, delayMs: 0 };
  let stored = 0;

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    if (values['test-control'] && req.url === '/__control' && req.method === 'POST') {
      behaviour = { ...behaviour, ...(JSON.parse(body.toString('utf8')) as Partial<typeof behaviour>) };
      res.writeHead(204).end();
      return;
    }
    const receivedUs = Math.round((performance.timeOrigin + performance.now()) * 1000);
    const ts = String(req.headers['x-earwitness-timestamp'] ?? '');
    const sig = String(req.headers['x-earwitness-signature'] ?? '');
    const secret = secrets.filter((s) => req.url?.startsWith(s.path)).sort((a, b) => b.path.length - a.path.length)[0]?.secret;
    const fresh = /^\d+$/.test(ts) && Math.abs(Date.now() / 1000 - Number(ts)) <= windowS;
    const signatureValid = secret !== undefined && req.method === 'POST' && signatureMatches(secret, ts, body, sig);
    const key = String(req.headers['idempotency-key'] ?? '');
    const accepted = signatureValid && fresh && key !== '';
    const duplicate = accepted && seen.has(key);
    const status = !accepted ? 401 : duplicate ? 200 : behaviour.status;
    let storedAs: string | null = null;
    if (accepted && !duplicate && status < 300) {
      seen.add(key);
      if (out) {
        const ext = extensionOf(String(req.headers['content-type'] ?? ''));
        storedAs = join('messages', `${String(++stored).padStart(6, '0')}-${safeName(String(req.headers['x-earwitness-message'] ?? key))}.${ext}`);
        writeFileSync(join(out, storedAs), body);
      }
    }
    const entry: ReceiptLine = {
      receivedUs,
      method: req.method,
      path: req.url,
      status,
      signatureValid,
      fresh,
      duplicate,
      idempotencyKey: key,
      delivery: req.headers['x-earwitness-delivery'],
      attempt: req.headers['x-earwitness-attempt'],
      message: req.headers['x-earwitness-message'],
      contentType: req.headers['content-type'],
      timestamp: ts,
      stored: storedAs,
    };
    const answer = () => {
      // Recorded when answered, so a request the sender gave up on (timeout) is still on file.
      if (out) appendFileSync(join(out, 'receipts.jsonl'), `${JSON.stringify(entry)}\n`);
      if (values.record) appendFileSync(values.record, `${JSON.stringify({ ...entry, body: body.toString('utf8') })}\n`);
      if (values.echo) io.out(`${JSON.stringify(entry)}\n`);
      const why = !signatureValid
        ? 'bad signature'
        : !fresh
          ? `timestamp outside ${windowS} s of this clock`
          : key === ''
            ? 'no Idempotency-Key'
            : `receiver says ${status}`;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? (duplicate ? 'ok (already stored)' : 'ok') : why);
    };
    if (behaviour.delayMs > 0) setTimeout(answer, behaviour.delayMs);
    else answer();
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end('too large');
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (size <= MAX_BODY) handle(req, res, Buffer.concat(chunks));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  // The first line on stdout says where it listens, so scripts and tests can read the port.
  io.out(`${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0, host })}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}
