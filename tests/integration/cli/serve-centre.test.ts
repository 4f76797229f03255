import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../../support/cli.ts';
import { centreCertificates, freePort, tlsRequest } from '../../support/centre-tls.ts';
import { NODE, REPO } from '../../support/host.ts';
import { tempDir } from '../../support/temp.ts';

/** `earwitness serve --listen`: a centre server starts only with TLS and a sound certificate, and then serves over it. */
describe('serve as a centre server', () => {
  let tmp: ReturnType<typeof tempDir>;
  let certs: ReturnType<typeof centreCertificates>;
  beforeAll(() => {
    tmp = tempDir();
    certs = centreCertificates(tmp.dir);
    chmodSync(certs.keyFile, 0o600);
  });
  afterAll(() => tmp.cleanup());

  const data = () => ['--data', join(tmp.dir, 'data'), '--no-demo'];
  const refused = async (args: string[], message: RegExp) => {
    const r = await cli(['serve', ...data(), ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    // Refused before anything opened: no data folder was made.
    expect(existsSync(join(tmp.dir, 'data'))).toBe(false);
  };

  it('never starts on the network without TLS', () =>
    refused(
      ['--listen', '0.0.0.0:8443', '--public-origin', 'https://review.example'],
      /never runs without TLS: give --tls-cert FILE and --tls-key FILE, or --tls-proxy/,
    ));

  it('warns when a server behind a TLS proxy listens on every interface', async () => {
    const { centreOptions } = await import('../../../src/cli/centre-options.ts');
    const warnings: string[] = [];
    expect(centreOptions({ listen: '0.0.0.0:8080', 'public-origin': 'https://review.example', 'tls-proxy': true }, (w) => warnings.push(w))).toMatchObject({
      tls: 'proxy',
      listenHost: '0.0.0.0',
    });
    expect(warnings.join('\n')).toMatch(/skips the proxy's TLS and can forge X-Forwarded-For/);
    warnings.length = 0;
    centreOptions({ listen: '127.0.0.1:8080', 'public-origin': 'https://review.example', 'tls-proxy': true }, (w) => warnings.push(w));
    expect(warnings).toEqual([]);
  });

  it('refuses a public origin that is not https, or has a path', async () => {
    await refused(['--listen', '0.0.0.0:8443', '--public-origin', 'http://review.example', '--tls-proxy'], /must be an https:\/\/ address/);
    await refused(['--listen', '0.0.0.0:8443', '--public-origin', 'https://review.example/seat', '--tls-proxy'], /scheme, host and port only/);
  });

  it('refuses a key that is not the certificate’s, a certificate that does not parse, and centre flags without --listen', async () => {
    const other = tempDir();
    try {
      const stranger = centreCertificates(other.dir);
      await refused(
        ['--listen', '127.0.0.1:8443', '--public-origin', 'https://127.0.0.1:8443', '--tls-cert', certs.certFile, '--tls-key', stranger.keyFile],
        /does not belong to the certificate/,
      );
    } finally {
      other.cleanup();
    }
    const junk = join(tmp.dir, 'junk.pem');
    writeFileSync(junk, '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n');
    await refused(
      ['--listen', '127.0.0.1:8443', '--public-origin', 'https://127.0.0.1:8443', '--tls-cert', junk, '--tls-key', certs.keyFile],
      /does not parse/,
    );
    await refused(['--tls-cert', certs.certFile], /--tls-cert is for a centre server: give --listen/);
    await refused(['--listen', 'review.example', '--public-origin', 'https://review.example', '--tls-proxy'], /--listen takes HOST:PORT/);
  });

  it('serves over TLS at its public origin, with no token in the address it prints', async () => {
    const port = await freePort();
    const origin = `https://127.0.0.1:${port}`;
    const args = ['serve', ...data(), '--listen', `127.0.0.1:${port}`, '--public-origin', origin, '--tls-cert', certs.certFile, '--tls-key', certs.keyFile];
    const child = spawn(NODE, [`${REPO}bin/earwitness.mjs`, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    try {
      await expect.poll(() => out, { timeout: 30_000 }).toMatch(/Earwitness is serving a centre at (\S+) \(listening on 127\.0\.0\.1:\d+, TLS\)/);
      expect(out).toContain(`serving a centre at ${origin}/`);
      expect(out).not.toContain('#token=');
      // Printed once the store has answered whether anyone has an account (a read on the port, after the address).
      await expect.poll(() => out, { timeout: 10_000 }).toContain('earwitness account add NAME --role admin');
      const r = await tlsRequest(`${origin}/api/session`, certs.caPem, {
        method: 'POST',
        headers: { host: `127.0.0.1:${port}`, origin, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(r.status).toBe(200);
      expect(String(r.headers['set-cookie'])).toContain('__Host-ew_browser=');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
