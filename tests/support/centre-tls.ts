import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A private CA and a server certificate for 127.0.0.1 made by openssl, as a centre's IT would issue them. */
export function centreCertificates(dir: string): { caPem: string; certFile: string; keyFile: string; certPem: string; keyPem: string } {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'centre-ca.key', '-out', 'centre-ca.pem', '-subj', '/CN=Centre CA', '-days', '2');
  openssl('req', ...ec, '-keyout', 'centre.key', '-out', 'centre.csr', '-subj', '/CN=review.test');
  writeFileSync(join(dir, 'centre.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'centre.csr',
    '-CA',
    'centre-ca.pem',
    '-CAkey',
    'centre-ca.key',
    '-CAcreateserial',
    '-out',
    'centre.pem',
    '-days',
    '2',
    '-extfile',
    'centre.ext',
  );
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return {
    caPem: read('centre-ca.pem'),
    certFile: join(dir, 'centre.pem'),
    keyFile: join(dir, 'centre.key'),
    certPem: read('centre.pem'),
    keyPem: read('centre.key'),
  };
}

/** A free loopback port (the public origin must name the port before the server listens). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface TlsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request trusting only `ca`, with the headers given verbatim (Host and Origin included). */
export function tlsRequest(url: string, ca: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<TlsResponse> {
  return new Promise((resolve, reject) => {
    // The certificate is checked against the address dialled (servername), not a Host header a test forges.
    const req = request(url, { method: o.method ?? 'GET', headers: o.headers, ca, agent: false, servername: 'localhost' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}
