import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { WebSocket } from 'ws';
import { tempDir } from '../support/temp.ts';

/**
 * Chromium driven over a bare DevTools connection that enables no domain but the ones asked for.
 * Playwright enables the Network domain on every page, and Chromium then keeps a copy of every
 * response body for the inspector (hundreds of MB over a shift of alerts), which would hide or
 * fake a leak in a memory figure. Here the page drives itself; this only evaluates, collects
 * garbage and reads the renderer's memory.
 */
export class RawChromium {
  private ws!: WebSocket;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private sessionId = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly cleanup: () => void,
  ) {}

  /** `browser` comes from launchOptions() (tests/support/browser.ts), as Playwright's launches do. */
  static async launch(browser: { executablePath: string; args: string[]; env?: NodeJS.ProcessEnv }): Promise<RawChromium> {
    const profile = tempDir('earwitness-raw-chromium-');
    // Its own process group, so closing ends every helper process it started.
    const child = spawn(
      browser.executablePath,
      ['--headless=new', '--remote-debugging-port=0', `--user-data-dir=${profile.dir}`, ...browser.args, 'about:blank'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true,
        ...(browser.env ? { env: browser.env } : {}),
      },
    );
    const endpoint = await new Promise<string>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`Chromium printed no DevTools address:\n${err}`)), 20_000);
      child.stderr!.setEncoding('utf8').on('data', (c: string) => {
        err += c;
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`Chromium exited (${code}):\n${err}`)));
    });
    const raw = new RawChromium(child, () => rmSync(profile.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }));
    raw.ws = new WebSocket(endpoint, { maxPayload: 256 * 1024 * 1024 });
    raw.ws.on('message', (m) => {
      const msg = JSON.parse(String(m)) as { id?: number; result?: unknown; error?: { message: string } };
      if (msg.id === undefined) return;
      const p = raw.pending.get(msg.id);
      raw.pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(msg.error.message));
      else p?.resolve(msg.result);
    });
    await new Promise((resolve, reject) => raw.ws.once('open', resolve).once('error', reject));
    return raw;
  }

  send<T = unknown>(method: string, params: object = {}, toPage = true): Promise<T> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, method, params, ...(toPage && this.sessionId ? { sessionId: this.sessionId } : {}) }));
    return new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
  }

  /** Opens the one page, attached with no domain enabled. */
  async open(url: string, viewport = { width: 1920, height: 1080 }): Promise<void> {
    const { targetId } = await this.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' }, false);
    ({ sessionId: this.sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true }, false));
    await this.send('Emulation.setDeviceMetricsOverride', { ...viewport, deviceScaleFactor: 1, mobile: false });
    await this.send('Page.navigate', { url });
  }

  /** Evaluates an expression in the page, awaiting a promise; throws the page's exception. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
    });
    if (r.exceptionDetails) throw new Error(`in the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  }

  /** Garbage collected, then the renderer's RSS and the JS heap, in MB. */
  async memory(): Promise<{ rssMb: number; heapMb: number }> {
    for (let i = 0; i < 3; i++) await this.send('HeapProfiler.collectGarbage');
    await new Promise((r) => setTimeout(r, 1000));
    const heap = await this.send<{ usedSize: number }>('Runtime.getHeapUsage');
    const { processInfo } = await this.send<{ processInfo: { type: string; id: number }[] }>('SystemInfo.getProcessInfo', {}, false);
    let rss = 0;
    for (const p of processInfo.filter((x) => x.type === 'renderer')) {
      try {
        rss = Math.max(rss, Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'))![1]) / 1024);
      } catch {
        /* gone, or no /proc */
      }
    }
    return { rssMb: rss, heapMb: heap.usedSize / 1024 / 1024 };
  }

  async close(): Promise<void> {
    this.ws?.close();
    if (this.child.exitCode === null && this.child.pid) {
      const exited = new Promise((r) => this.child.once('exit', r));
      process.kill(-this.child.pid, 'SIGTERM');
      await exited;
    }
    this.cleanup();
  }
}
