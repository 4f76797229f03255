import { randomUUID } from 'node:crypto';
import type { DatasetJob } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import { isUserError, UserError } from '../util/errors.ts';
import { log } from '../util/log.ts';

/** Thrown at a checkpoint once a job was asked to stop. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** What a long import or export sees of its runner: the stop signal and a place to report progress. */
export interface JobControl {
  readonly signal: AbortSignal;
  progress(phase: string, done: number, total: number): void;
  /** Lets other calls run (progress, cancel), then throws CancelledError if the job was cancelled. */
  checkpoint(): Promise<void>;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A control for callers that run a job inline (the CLI, tests, the bench). */
export function inlineControl(
  signal: AbortSignal = new AbortController().signal,
  onProgress?: (phase: string, done: number, total: number) => void,
): JobControl {
  let last = 0;
  return {
    signal,
    progress: (phase, done, total) => onProgress?.(phase, done, total),
    async checkpoint() {
      // Yield at most every few milliseconds: a yield per file would cost more than small files do.
      const now = performance.now();
      if (now - last > 8) {
        last = now;
        await yieldToLoop();
      }
      if (signal.aborted) throw new CancelledError();
    },
  };
}

type JobResult = NonNullable<DatasetJob['result']>;
const KEEP_FINISHED = 200;
const PROGRESS_EVERY_MS = 100;

/**
 * Import and export jobs of one core: each runs as an async function that yields at checkpoints,
 * so calls (including cancel) and progress events flow while it works. Finished jobs are kept
 * for this run so a seat can read their result.
 */
export class DatasetJobs {
  private readonly jobs = new Map<string, { status: DatasetJob; abort: AbortController; done: Promise<void> }>();

  constructor(private readonly core: CoreServices) {}

  start(kind: DatasetJob['kind'], projectId: number, startedBy: string, run: (ctl: JobControl) => Promise<JobResult>): DatasetJob {
    const abort = new AbortController();
    const status: DatasetJob = {
      id: randomUUID(),
      kind,
      projectId,
      startedBy,
      state: 'running',
      phase: 'starting',
      done: 0,
      total: 0,
      startedUs: this.core.clock.nowUs(),
      finishedUs: null,
      error: null,
      result: null,
    };
    let lastEmit = 0;
    const emit = (force: boolean) => {
      const now = performance.now();
      if (!force && now - lastEmit < PROGRESS_EVERY_MS) return;
      lastEmit = now;
      this.core.events.emit('datasetJobProgress', { job: { ...status } });
    };
    const ctl = inlineControl(abort.signal, (phase, done, total) => {
      const phaseChanged = phase !== status.phase;
      Object.assign(status, { phase, done, total });
      emit(phaseChanged);
    });
    const done = (async () => {
      await yieldToLoop(); // answer the start call first
      try {
        status.result = await run(ctl);
        status.state = 'done';
      } catch (e) {
        if (e instanceof CancelledError) status.state = 'cancelled';
        else {
          status.state = 'failed';
          if (isUserError(e)) status.error = { code: e.code, message: e.message };
          else {
            log.error({ kind, job: status.id, err: e }, 'a dataset job failed');
            status.error = { code: 'internal', message: `the ${kind} failed unexpectedly; see the log` };
          }
        }
      }
      status.finishedUs = this.core.clock.nowUs();
      emit(true);
      this.prune();
    })();
    this.jobs.set(status.id, { status, abort, done });
    emit(true);
    return { ...status };
  }

  get(id: string): DatasetJob {
    const j = this.jobs.get(id);
    if (!j) throw new UserError('not_found', `no job ${JSON.stringify(id.slice(0, 60))} in this run`);
    return { ...j.status };
  }

  cancel(id: string): { cancelled: boolean; job: DatasetJob } {
    const j = this.jobs.get(id);
    if (!j) throw new UserError('not_found', `no job ${JSON.stringify(id.slice(0, 60))} in this run`);
    const running = j.status.state === 'running';
    if (running) j.abort.abort();
    return { cancelled: running, job: { ...j.status } };
  }

  /** Waits for one job to end (tests, shutdown). */
  async settle(id: string): Promise<DatasetJob> {
    const j = this.jobs.get(id);
    if (!j) throw new UserError('not_found', `no job ${id}`);
    await j.done;
    return { ...j.status };
  }

  async stopAll(): Promise<void> {
    const running = [...this.jobs.values()].filter((j) => j.status.state === 'running');
    for (const j of running) j.abort.abort();
    await Promise.all(running.map((j) => j.done));
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.status.state !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(j.status.id);
  }
}

const registries = new WeakMap<CoreServices, DatasetJobs>();

/** The job registry of a core, created on first use; running jobs are stopped before the core closes. */
export function jobsOf(core: CoreServices): DatasetJobs {
  let r = registries.get(core);
  if (!r) {
    const registry = new DatasetJobs(core);
    r = registry;
    registries.set(core, registry);
    const withWorkers = core as CoreServices & { addWorker?: (w: { stop(): Promise<void> }) => void };
    withWorkers.addWorker?.({ stop: () => registry.stopAll() });
  }
  return r;
}
