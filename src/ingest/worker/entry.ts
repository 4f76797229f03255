/**
 * The ingest worker thread: runs scan and prepare tasks (tasks.ts) for the pool (pool.ts), one
 * at a time, and posts back plain data, the peaks moved rather than copied.
 *
 * Started from TypeScript under tsx (tests, development: the pool passes tsx's loader), or, in a
 * compiled build, from its own bundle beside the main one: the build must emit this file as
 * `ingest-worker.mjs` (ESM builds) or `ingest-worker.cjs` (CommonJS builds) next to the bundle
 * that holds the pool. See pool.ts, workerEntry().
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { runTask, toTaskError, transferablesOf, type IngestTask } from './tasks.ts';

if (!parentPort) throw new Error('the ingest worker entry runs only as a worker thread');
const port = parentPort;

/**
 * On a busy machine (two cores; seats, a desktop window and an import) the thread that answers
 * seats should win the CPU: this thread takes a nicer priority, 5 by default (import work is
 * background work, yet not starved when the machine is loaded by others);
 * EARWITNESS_INGEST_NICE sets another. Linux gives each thread its own nice value, reached
 * through its thread id; elsewhere this does nothing and the OS shares evenly.
 */
export const NICE = Number(process.env.EARWITNESS_INGEST_NICE ?? 5);
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid) && tid > 0) setPriority(tid, NICE);
} catch {
  // Not Linux, or no /proc: the default priority.
}

port.postMessage({ ready: true });
port.on('message', (m: { id: number } & IngestTask) => {
  try {
    const value = runTask(m);
    port.postMessage({ id: m.id, ok: true, value }, transferablesOf(value));
  } catch (e) {
    port.postMessage({ id: m.id, ok: false, error: toTaskError(e) });
  }
});
