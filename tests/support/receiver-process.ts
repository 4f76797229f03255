import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The reference receiver, `earwitness receive` (src/cli/receive.ts), run from the sources. */
const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

export interface Receipt {
  receivedUs: number;
  method: string;
  path: string;
  status: number;
  signatureValid: boolean;
  duplicate: boolean;
  idempotencyKey: string;
  delivery: string;
  attempt: string;
  message: string;
  contentType: string;
  timestamp: string;
  body: string;
}

export interface Receiver {
  readonly port: number;
  readonly child: ChildProcess;
  url(path?: string): string;
  control(b: { status?: number; delayMs?: number }): Promise<void>;
  received(): Receipt[];
  /** Lines echoed on stdout (with --echo), as they arrive. */
  onEcho(fn: (r: Omit<Receipt, 'body'>) => void): void;
  stop(): Promise<void>;
}

/** Starts `earwitness receive` as a child process on loopback (a fixed port to come back on after a stop). */
export async function startReceiver(o: {
  record: string;
  secrets: string[];
  port?: number;
  echo?: boolean;
  out?: string;
  secretFile?: string;
}): Promise<Receiver> {
  const args = [
    '--import',
    'tsx',
    CLI,
    'receive',
    '--test-control',
    '--record',
    o.record,
    '--port',
    String(o.port ?? 0),
    ...o.secrets.flatMap((s) => ['--secret', s]),
    ...(o.echo ? ['--echo'] : []),
    ...(o.out ? ['--out', o.out] : []),
    ...(o.secretFile ? ['--secret-file', o.secretFile] : []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const echoes: ((r: Omit<Receipt, 'body'>) => void)[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the receiver exited (${code}) before listening`)));
    lines.once('line', (l) => resolve((JSON.parse(l) as { port: number }).port));
  });
  lines.on('line', (l) => {
    const r = JSON.parse(l) as Omit<Receipt, 'body'>;
    for (const fn of echoes) fn(r);
  });
  return {
    port,
    child,
    url: (path = '/') => `http://127.0.0.1:${port}${path}`,
    async control(b) {
      const res = await fetch(`http://127.0.0.1:${port}/__control`, { method: 'POST', body: JSON.stringify(b) });
      if (res.status !== 204) throw new Error(`receiver control failed: ${res.status}`);
    },
    // The last piece after the final newline is empty or a line still being written: left for the next read.
    received: () =>
      existsSync(o.record)
        ? readFileSync(o.record, 'utf8')
            .split('\n')
            .slice(0, -1)
            .map((l) => JSON.parse(l) as Receipt)
        : [],
    onEcho: (fn) => echoes.push(fn),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
