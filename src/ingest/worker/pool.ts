/**
 * Worker threads for the heavy part of an import (reading, decoding, peaks, picking, locating),
 * so the event loop that answers seats never waits for audio work. The store commit stays on
 * the calling thread: a task returns plain data (tasks.ts), the caller writes it.
 *
 * A small pool of our own rather than piscina or tinypool, because:
 * - the worker must start from TypeScript sources under tsx (tests, development) and from
 *   compiled bundles (ESM for the command line, CommonJS for the Electron main process); those
 *   pools start their own worker script found beside their package, which a bundle does not
 *   carry, and then load ours by file name: two entry points to place instead of one;
 * - an import needs little of what they offer (one alert in flight per import, a queue, a
 *   deadline that stops a worker caught in hostile input, a new worker after a crash), and all
 *   of it fits here in a page that says what it does.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError } from '../../util/errors.ts';
import type { PrepareOptions, PreparedAlert } from '../prepare.ts';
import type { IncomingAlert, ReadOptions } from '../types.ts';
import { runTask, type IngestTask, type TaskError } from './tasks.ts';

/** What an import needs done off its thread. */
export interface IngestWork {
  scan(dir: string, o: ReadOptions): Promise<IncomingAlert>;
  prepare(incoming: IncomingAlert, o: PrepareOptions): Promise<PreparedAlert>;
}

/** The same work on the calling thread: for one-shot commands (locate), and where no worker entry exists. */
export const inlineWork: IngestWork = {
  scan: async (dir, o) => runTask({ task: 'scan', dir, options: o }) as IncomingAlert,
  prepare: async (incoming, o) => runTask({ task: 'prepare', incoming, options: o }) as PreparedAlert,
};

/** Names a compiled build gives the worker entry (entry.ts), beside the bundle holding this pool. */
export const COMPILED_WORKER_NAMES = ['ingest-worker.mjs', 'ingest-worker.cjs', 'ingest-worker.js'] as const;

export interface WorkerEntry {
  url: URL;
  execArgv: string[];
  how: 'compiled' | 'typescript' | 'configured';
}

/**
 * Where the worker starts, in order:
 * 1. `EARWITNESS_INGEST_WORKER`, a path to a built entry (packagers with their own layout);
 * 2. a compiled entry (COMPILED_WORKER_NAMES) beside the running bundle: `__dirname` in a
 *    CommonJS bundle, the bundle's own URL in an ESM one;
 * 3. entry.ts beside this file, when this file is itself TypeScript (tsx, vitest): the worker
 *    gets tsx's loader, as `bin/earwitness.mjs` gives it to the main thread.
 * Null when none exists: imports then run on the calling thread.
 */
export function workerEntry(): WorkerEntry | null {
  const configured = process.env.EARWITNESS_INGEST_WORKER;
  if (configured) return { url: pathToFileURL(resolve(configured)), execArgv: [], how: 'configured' };
  // A CommonJS bundle has no import.meta (esbuild leaves it empty); __dirname stands in there.
  const here: string = typeof import.meta.url === 'string' ? import.meta.url : '';
  const folders: string[] = [];
  if (typeof __dirname === 'string') folders.push(__dirname);
  if (here.startsWith('file:')) folders.push(dirname(fileURLToPath(here)));
  for (const folder of folders) {
    for (const name of COMPILED_WORKER_NAMES) {
      const path = join(folder, name);
      // Packed in an Electron asar, the worker is unpacked beside it (asarUnpack): a thread loads it from disk.
      const unpacked = path.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
      if (unpacked !== path && existsSync(unpacked)) return { url: pathToFileURL(unpacked), execArgv: [], how: 'compiled' };
      if (existsSync(path)) return { url: pathToFileURL(path), execArgv: [], how: 'compiled' };
    }
  }
  if (here.startsWith('file:') && here.endsWith('.ts')) {
    const source = new URL('./entry.ts', here);
    if (existsSync(fileURLToPath(source))) {
      const tsx = pathToFileURL(createRequire(here).resolve('tsx')).href;
      return { url: source, execArgv: ['--import', tsx], how: 'typescript' };
    }
  }
  return null;
}

export interface PoolOptions {
  /** Worker threads at most (default: one per spare core, one or two). */
  size?: number;
  /** A task running longer is stopped with its worker and refused (hostile input that never ends). */
  taskTimeoutMs?: number;
  /** An idle worker is ended after this long, giving its memory back. */
  idleMs?: number;
  entry?: WorkerEntry | null;
}

interface Job {
  id: number;
  task: IngestTask;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  /** The worker said it is up: a worker lost before that never could start (a build without its entry). */
  ready: boolean;
  job: Job | null;
  timer?: NodeJS.Timeout;
  idleTimer?: NodeJS.Timeout;
}

const fromTaskError = (e: TaskError): Error =>
  e.user ? new UserError(e.code, e.message) : Object.assign(new Error(`ingest worker: ${e.message}`), { stack: e.stack });

export class IngestPool implements IngestWork {
  private readonly size: number;
  private readonly taskTimeoutMs: number;
  private readonly idleMs: number;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** Why workers cannot start here, once one failed to: tasks then run on the calling thread. */
  private broken: string | null = null;
  /** How many workers were started, for tests that a crash or a timeout replaced one. */
  started = 0;

  constructor(
    readonly entry: WorkerEntry,
    o: PoolOptions = {},
  ) {
    this.size = Math.max(1, o.size ?? Math.min(2, availableParallelism() - 1));
    this.taskTimeoutMs = o.taskTimeoutMs ?? 120_000;
    this.idleMs = o.idleMs ?? 30_000;
  }

  scan(dir: string, options: ReadOptions): Promise<IncomingAlert> {
    return this.run({ task: 'scan', dir, options }) as Promise<IncomingAlert>;
  }

  prepare(incoming: IncomingAlert, options: PrepareOptions): Promise<PreparedAlert> {
    return this.run({ task: 'prepare', incoming, options }) as Promise<PreparedAlert>;
  }

  private run(task: IngestTask): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the ingest pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    if (this.broken !== null) {
      for (const job of this.queue.splice(0)) runInline(job);
      return;
    }
    while (this.queue.length > 0) {
      let slot = [...this.slots].find((s) => s.job === null);
      if (!slot && this.slots.size < this.size) slot = this.spawn();
      if (!slot) return;
      this.assign(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.entry.url, { execArgv: this.entry.execArgv, stdout: false, stderr: false });
    this.started++;
    const slot: Slot = { worker, ready: false, job: null };
    worker.on('message', (m: { ready?: true; id: number; ok: boolean; value?: unknown; error?: TaskError }) => {
      if (m.ready) {
        slot.ready = true;
        if (slot.job) this.arm(slot, slot.job);
        return;
      }
      const job = slot.job;
      if (!job || job.id !== m.id) return;
      this.release(slot);
      if (m.ok) job.resolve(m.value);
      else job.reject(fromTaskError(m.error!));
    });
    const lost = (why: string) => {
      if (!this.slots.delete(slot)) return;
      clearTimeout(slot.timer);
      clearTimeout(slot.idleTimer);
      const job = slot.job;
      slot.job = null;
      if (!slot.ready && this.broken === null) {
        // It never started: no worker will here. Say so once and do the work on this thread.
        this.broken = why;
        process.stderr.write(`earwitness: the ingest worker (${this.entry.url.href}) could not start (${why}); imports run on the main thread\n`);
      }
      if (job && !slot.ready) runInline(job);
      else job?.reject(new Error(`the ingest worker stopped: ${why}`));
      this.dispatch();
    };
    worker.on('error', (e) => lost(e.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.slots.add(slot);
    return slot;
  }

  private assign(slot: Slot, job: Job): void {
    clearTimeout(slot.idleTimer);
    slot.job = job;
    slot.worker.ref(); // a command waiting for its import must not exit under it
    if (slot.ready) this.arm(slot, job);
    slot.worker.postMessage({ id: job.id, ...job.task });
  }

  /** The task's deadline, from when its worker is up (starting one is not the input's doing). */
  private arm(slot: Slot, job: Job): void {
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      if (slot.job !== job) return;
      slot.job = null;
      this.slots.delete(slot);
      void slot.worker.terminate();
      job.reject(
        new UserError(
          'bad_file',
          `reading and locating this alert took over ${Math.round(this.taskTimeoutMs / 1000)} s; it was stopped and nothing was stored`,
        ),
      );
      this.dispatch();
    }, this.taskTimeoutMs);
    slot.timer.unref();
  }

  private release(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.job = null;
    slot.worker.unref(); // an idle worker never keeps the process alive
    slot.idleTimer = setTimeout(() => {
      if (slot.job !== null || !this.slots.delete(slot)) return;
      void slot.worker.terminate();
    }, this.idleMs);
    slot.idleTimer.unref();
    this.dispatch();
  }

  /** Ends every worker; queued and running tasks are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the ingest pool is closed'));
    const slots = [...this.slots];
    this.slots.clear();
    for (const s of slots) {
      clearTimeout(s.timer);
      clearTimeout(s.idleTimer);
      s.job?.reject(new Error('the ingest pool is closed'));
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}

function runInline(job: Job): void {
  try {
    job.resolve(runTask(job.task));
  } catch (e) {
    job.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

let shared: IngestWork | undefined;

/**
 * The process's ingest workers, started on first use. `EARWITNESS_INGEST_WORKERS=0` runs
 * imports on the calling thread instead; so does a build that ships no worker entry, saying so
 * once on stderr.
 */
export function ingestWork(): IngestWork {
  if (shared) return shared;
  const entry = process.env.EARWITNESS_INGEST_WORKERS === '0' ? null : workerEntry();
  if (!entry && process.env.EARWITNESS_INGEST_WORKERS !== '0') {
    process.stderr.write(`earwitness: no ingest worker entry (${COMPILED_WORKER_NAMES[0]}) beside this build; imports run on the main thread\n`);
  }
  shared = entry ? new IngestPool(entry) : inlineWork;
  return shared;
}
