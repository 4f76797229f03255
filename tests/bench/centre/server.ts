import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { NODE, REPO } from '../../support/host.ts';

/** One `earwitness serve --database` process of the centre (the compiled command), restartable on its port. */
export interface CentreServer {
  readonly name: string;
  readonly origin: string;
  start(): Promise<void>;
  /** kill -9: no goodbye to its seats, its sessions or its database connections. */
  kill(): Promise<void>;
  alive(): boolean;
}

export interface ServerOptions {
  name: string;
  port: number;
  dataDir: string;
  databaseUrl: string;
  certFile: string;
  keyFile: string;
  /** The centre's one public origin (its load balancer's), when the servers stand behind one. */
  publicOrigin?: string;
  log(m: string): void;
}

export function centreServer(o: ServerOptions): CentreServer {
  const origin = `https://127.0.0.1:${o.port}`;
  let child: ChildProcess | null = null;
  const alive = () => child !== null && child.exitCode === null && child.signalCode === null;
  return {
    name: o.name,
    origin,
    alive,
    async start() {
      const args = [
        `${REPO}bin/earwitness.mjs`,
        'serve',
        '--data',
        o.dataDir,
        '--database',
        o.databaseUrl,
        '--no-demo',
        '--renderer',
        `${REPO}dist/renderer`,
        '--listen',
        `127.0.0.1:${o.port}`,
        '--public-origin',
        o.publicOrigin ?? origin,
        '--tls-cert',
        o.certFile,
        '--tls-key',
        o.keyFile,
      ];
      const c = spawn(NODE, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EARWITNESS_LOG_LEVEL: 'warn' } });
      child = c;
      createInterface({ input: c.stderr! }).on('line', (l) => {
        if (!l.startsWith('log: ')) o.log(`[${o.name}] ${l}`);
      });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server ${o.name} did not start within 60 s`)), 60_000);
        c.once('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`server ${o.name} exited (${code ?? signal}) before serving`));
        });
        createInterface({ input: c.stdout! }).on('line', (l) => {
          if (l.startsWith('Earwitness is serving')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
    },
    kill() {
      return new Promise<void>((resolve) => {
        const c = child;
        if (!c || !alive()) return resolve();
        c.once('exit', () => resolve());
        c.kill('SIGKILL');
      });
    },
  };
}
