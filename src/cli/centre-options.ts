import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { NetworkOptions } from '../host/server.ts';
import { readPrivateKey } from '../publish/endpoint-tls.ts';
import { UsageError } from './command.ts';

export interface CentreFlags {
  listen?: string;
  'public-origin'?: string;
  'tls-cert'?: string;
  'tls-key'?: string;
  'tls-proxy'?: boolean;
  port?: string;
}

const readPem = (file: string, what: string): string => {
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UsageError(`the ${what} ${file} is not a regular file`);
    if (st.size > 1024 * 1024) throw new UsageError(`the ${what} ${file} is over 1 MiB: not a PEM file`);
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read the ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
};

/** HOST:PORT, [IPv6]:PORT. */
function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new UsageError(`--listen takes HOST:PORT (e.g. 0.0.0.0:8443 or [::]:8443), not ${JSON.stringify(text)}`);
  return { host: (m[1] ?? m[2])!, port };
}

function parseOrigin(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--public-origin is not a URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'https:') throw new UsageError('--public-origin must be an https:// address: a centre is reached over TLS only');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password)
    throw new UsageError('--public-origin is a scheme, host and port only (no path, query, fragment or credentials)');
  return url.origin;
}

/**
 * The centre server's options from `serve`'s flags, or null for the loopback host. Refused before
 * anything starts: a centre without TLS, a certificate that is expired, does not parse or does not
 * match its key, a public origin that is not https. (`warn` gets what is allowed but unwise.)
 */
export function centreOptions(flags: CentreFlags, warn: (line: string) => void, nowMs = Date.now()): NetworkOptions | null {
  const centreOnly = (['public-origin', 'tls-cert', 'tls-key', 'tls-proxy'] as const).filter((k) => flags[k] !== undefined);
  if (flags.listen === undefined) {
    if (centreOnly.length) throw new UsageError(`--${centreOnly[0]} is for a centre server: give --listen HOST:PORT too`);
    return null;
  }
  if (flags.port !== undefined) throw new UsageError('--port is the loopback port; a centre server takes --listen HOST:PORT');
  const { host, port } = parseListen(flags.listen);
  if (!flags['public-origin']) throw new UsageError('a centre server needs --public-origin https://... (the address seats open)');
  const publicOrigin = parseOrigin(flags['public-origin']);
  const certFile = flags['tls-cert'];
  const keyFile = flags['tls-key'];
  if (flags['tls-proxy']) {
    if (certFile || keyFile) throw new UsageError('give either --tls-cert and --tls-key, or --tls-proxy, not both');
    if (host === '0.0.0.0' || host === '::')
      warn(
        `warning: --tls-proxy on ${host} answers plain HTTP on every interface: whoever reaches port ${port} directly skips the proxy's TLS and can forge X-Forwarded-For; listen on 127.0.0.1 or the interface only the proxy reaches`,
      );
    return { listenHost: host, port, publicOrigin, tls: 'proxy' };
  }
  if (!certFile || !keyFile)
    throw new UsageError(
      'a centre server never runs without TLS: give --tls-cert FILE and --tls-key FILE, or --tls-proxy when a reverse proxy in front terminates TLS',
    );
  const certPem = readPem(certFile, 'certificate');
  const keyPem = readPem(keyFile, 'key');
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(certPem);
  } catch (e) {
    throw new UsageError(`the certificate ${certFile} does not parse: ${(e as Error).message}`);
  }
  const key = readPrivateKey(keyPem);
  if (typeof key === 'string') throw new UsageError(`the key ${keyFile} does not parse: ${key}`);
  if (!leaf.checkPrivateKey(key)) throw new UsageError(`the key ${keyFile} does not belong to the certificate ${certFile}`);
  if (Date.parse(leaf.validTo) < nowMs) throw new UsageError(`the certificate ${certFile} expired on ${new Date(leaf.validTo).toISOString().slice(0, 10)}`);
  const originHost = new URL(publicOrigin).hostname.replace(/^\[|\]$/g, '');
  if (!leaf.checkHost(originHost) && !leaf.checkIP(originHost))
    warn(`warning: the certificate ${certFile} does not name ${originHost}; browsers opening ${publicOrigin} will refuse it`);
  if ((statSync(keyFile).mode & 0o077) !== 0) warn(`warning: the key ${keyFile} is readable by other users of this machine (chmod 600 it)`);
  return { listenHost: host, port, publicOrigin, tls: { certPem, keyPem } };
}
