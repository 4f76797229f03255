import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const PROBE = fileURLToPath(new URL('./latency-probe.ts', import.meta.url));

export interface LatencySample {
  /** Unix ms when the call was sent. */
  atMs: number;
  /** How long the host took to answer, ms. */
  ms: number;
}

export interface LatencyProbe {
  samples(): LatencySample[];
  /**
   * The calls waiting for their answer at some moment within [fromMs, toMs): one sent just before
   * `fromMs` and held up by what happened after it counts too.
   */
  between(fromMs: number, toMs: number): LatencySample[];
  stop(): Promise<void>;
}

/** Starts tests/support/latency-probe.ts against a host; resolves once it has a session. */
export function startLatencyProbe(host: { origin: string; token: string }, gapMs = 10): Promise<LatencyProbe> {
  const child = spawn(process.execPath, ['--import', 'tsx', PROBE, host.origin, host.token, String(gapMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const samples: LatencySample[] = [];
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the latency probe exited (${code}): ${stderr.slice(-2000)}`)));
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (l === 'ready') {
        resolve({
          samples: () => [...samples],
          between: (from, to) => samples.filter((s) => s.atMs < to && s.atMs + s.ms >= from),
          async stop() {
            child.kill('SIGTERM');
            await exited;
          },
        });
        return;
      }
      const [at, ms] = l.split(' ').map(Number);
      samples.push({ atMs: at!, ms: ms! });
    });
  });
}

/** The largest of some numbers, 0 for none. */
export const worst = (xs: readonly LatencySample[]) => xs.reduce((m, s) => Math.max(m, s.ms), 0);
