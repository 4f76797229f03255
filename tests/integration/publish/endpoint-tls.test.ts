import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { checkTls } from '../../../src/publish/endpoint-tls.ts';
import { newAgents, postOnce, TlsAgents, type EndpointTlsOptions } from '../../../src/publish/http-post.ts';
import { NO_TLS } from '../../../src/kernel/store-port.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * Mutual TLS, a private CA and a proxy, against a real HTTPS receiver on 127.0.0.1 with
 * certificates made by openssl here: a handshake that fails says why, in words.
 */
describe('endpoint TLS: client certificates, a private CA, a proxy', () => {
  let tmp: ReturnType<typeof tempDir>;
  const pem: Record<string, string> = {};
  const servers: (HttpsServer | HttpServer)[] = [];
  let mtlsUrl: string; // requires a client certificate from the agency's CA
  let expiredUrl: string; // presents an expired certificate
  let proxyUrl: string; // a CONNECT proxy
  let proxied = 0;
  const agents = newAgents(4);
  const tlsAgents = new TlsAgents(4);

  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: tmp.dir, stdio: 'pipe' });
  const keyAndCsr = (name: string, cn: string) =>
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
  const sign = (name: string, ca: string, days: string, ext?: string) =>
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.pem`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      days,
      ...(ext ? ['-extfile', ext] : []),
    );
  const listen = async <S extends HttpsServer | HttpServer>(s: S): Promise<number> => {
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    return (s.address() as AddressInfo).port;
  };
  const post = (url: string, tls: Partial<EndpointTlsOptions>) =>
    postOnce(
      url,
      '{}',
      { 'content-type': 'application/json' },
      { timeoutMs: 5000, agents, tlsAgents, tls: { clientCertPem: null, clientKeyPem: null, caPem: null, proxyUrl: null, ...tls } },
    );

  beforeAll(async () => {
    tmp = tempDir();
    for (const ca of ['ca', 'otherca'])
      openssl(
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        `${ca}.key`,
        '-out',
        `${ca}.pem`,
        '-subj',
        `/CN=${ca}`,
        '-days',
        '2',
      );
    writeFileSync(join(tmp.dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
    keyAndCsr('server', 'receiver');
    sign('server', 'ca', '2', 'server.ext');
    keyAndCsr('expired', 'receiver');
    sign('expired', 'ca', '-1', 'server.ext');
    keyAndCsr('client', 'agency-client');
    sign('client', 'ca', '2');
    keyAndCsr('stranger', 'someone-else');
    sign('stranger', 'otherca', '2');
    for (const f of ['ca', 'otherca', 'server', 'expired', 'client', 'stranger']) {
      pem[`${f}.pem`] = readFileSync(join(tmp.dir, `${f}.pem`), 'utf8');
      if (f !== 'ca' && f !== 'otherca') pem[`${f}.key`] = readFileSync(join(tmp.dir, `${f}.key`), 'utf8');
    }
    const answer = (_req: unknown, res: { writeHead(s: number): { end(b: string): void } }) => res.writeHead(200).end('ok');
    mtlsUrl = `https://127.0.0.1:${await listen(createHttpsServer({ key: pem['server.key'], cert: pem['server.pem'], ca: pem['ca.pem'], requestCert: true, rejectUnauthorized: true }, answer))}/in`;
    expiredUrl = `https://127.0.0.1:${await listen(createHttpsServer({ key: pem['expired.key'], cert: pem['expired.pem'] }, answer))}/in`;
    const proxy = createHttpServer();
    proxy.on('connect', (req, socket, head) => {
      proxied++;
      const [host, port] = String(req.url).split(':');
      const upstream = connect(Number(port), host!, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    proxyUrl = `http://127.0.0.1:${await listen(proxy)}/`;
  });
  afterAll(() => {
    agents.http.destroy();
    agents.https.destroy();
    tlsAgents.destroy();
    for (const s of servers) s.close();
    tmp.cleanup();
  });

  it('delivers with the agency CA and its client certificate', async () => {
    const r = await post(mtlsUrl, { caPem: pem['ca.pem']!, clientCertPem: pem['client.pem']!, clientKeyPem: pem['client.key']! });
    expect([r.status, r.error]).toEqual([200, null]);
  });

  it('says so when the endpoint requires a client certificate and none is given', async () => {
    const r = await post(mtlsUrl, { caPem: pem['ca.pem']! });
    expect(r.status).toBeNull();
    expect(r.error).toMatch(/requires a client certificate|reset/);
  });

  it('says so when the client certificate is from a CA the endpoint does not trust', async () => {
    const r = await post(mtlsUrl, { caPem: pem['ca.pem']!, clientCertPem: pem['stranger.pem']!, clientKeyPem: pem['stranger.key']! });
    expect(r.status).toBeNull();
    expect(r.error).toMatch(/TLS handshake with 127\.0\.0\.1:\d+ failed: the endpoint does not trust the CA of our client certificate|reset/);
  });

  it('refuses an endpoint whose certificate does not chain to the CA given, or to any CA the system trusts', async () => {
    const wrong = await post(mtlsUrl, { caPem: pem['otherca.pem']!, clientCertPem: pem['client.pem']!, clientKeyPem: pem['client.key']! });
    expect(wrong.error).toMatch(
      /TLS handshake with 127\.0\.0\.1:\d+ failed: the endpoint's certificate (chains to a CA that is not trusted here|does not chain to a trusted CA)/,
    );
    const system = await post(mtlsUrl, { clientCertPem: pem['client.pem']!, clientKeyPem: pem['client.key']! });
    expect(system.error).toMatch(/TLS handshake .* failed: the endpoint's certificate/);
  });

  it('says so when the endpoint presents an expired certificate', async () => {
    const r = await post(expiredUrl, { caPem: pem['ca.pem']! });
    expect(r.error).toMatch(/TLS handshake with 127\.0\.0\.1:\d+ failed: the endpoint's certificate has expired \(CERT_HAS_EXPIRED\)/);
  });

  it('reaches the endpoint through a CONNECT proxy, TLS end to end', async () => {
    const before = proxied;
    const r = await post(mtlsUrl, { caPem: pem['ca.pem']!, clientCertPem: pem['client.pem']!, clientKeyPem: pem['client.key']!, proxyUrl });
    expect([r.status, r.error]).toEqual([200, null]);
    expect(proxied).toBe(before + 1);
    const dead = await post(mtlsUrl, { caPem: pem['ca.pem']!, proxyUrl: 'http://127.0.0.1:9/' });
    expect(dead.error).toMatch(/the proxy 127\.0\.0\.1:9 cannot be reached/);
  });

  it("refuses, before storing, a key that is not the certificate's, a certificate without its key, and an expired client certificate", () => {
    expect(() => checkTls({ clientCertPem: pem['client.pem']!, clientKeyPem: pem['stranger.key']! }, NO_TLS)).toThrow(
      /does not belong to the client certificate/,
    );
    expect(() => checkTls({ clientCertPem: pem['client.pem']! }, NO_TLS)).toThrow(/give both or neither/);
    expect(() => checkTls({ clientCertPem: pem['expired.pem']!, clientKeyPem: pem['expired.key']! }, NO_TLS)).toThrow(/expired on/);
    expect(() => checkTls({ caPem: 'not a pem' }, NO_TLS)).toThrow(/holds no PEM certificate/);
    expect(checkTls({ clientCertPem: pem['client.pem']!, clientKeyPem: pem['client.key']!, caPem: pem['ca.pem']! }, NO_TLS).clientCertPem).toBe(
      pem['client.pem'],
    );
  });
});
