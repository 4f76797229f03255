import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './centre-tls.ts';
import { NODE, REPO } from './host.ts';
import { until } from './until.ts';

export interface CentreServer {
  child: ChildProcess;
  /** Where this server listens (https://127.0.0.1:PORT). */
  origin: string;
  port: number;
  out: () => string;
  /** SIGTERM, and waits for the exit (nothing when it has exited already). */
  stop(): Promise<void>;
}

/**
 * `earwitness serve --database URL --listen` as a centre runs it, over TLS on loopback, once it
 * says it serves. `publicOrigin` defaults to its own address; servers behind one load balancer
 * share the balancer's.
 */
export async function startCentreServer(o: {
  data: string;
  database: string;
  certFile: string;
  keyFile: string;
  publicOrigin?: string;
}): Promise<CentreServer> {
  const port = await freePort();
  const origin = `https://127.0.0.1:${port}`;
  const args = ['serve', '--data', o.data, '--database', o.database, '--no-demo', '--listen', `127.0.0.1:${port}`];
  args.push('--public-origin', o.publicOrigin ?? origin, '--tls-cert', o.certFile, '--tls-key', o.keyFile);
  const child = spawn(NODE, [`${REPO}bin/earwitness.mjs`, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (out += c));
  try {
    await until(() => /serving a centre at/.test(out) || child.exitCode !== null, 60_000);
  } catch {
    child.kill('SIGKILL');
  }
  if (!/serving a centre at/.test(out)) throw new Error(`the centre server did not start:\n${out}`);
  return {
    child,
    origin,
    port,
    out: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
