/**
 * The ingest worker thread: runs scan and prepare tasks (tasks.ts) for the pool (pool.ts), one
 * at a time, and posts back plain data, the peaks moved rather than copied.
 *
 * Started from TypeScript under tsx (tests, development: the pool passes tsx's loader), or, in a
 * compiled build, from its own bundle beside the main one: the build must emit this file as
 * `ingest-worker.mjs` (ESM builds) or `ingest-worker.cjs` (CommonJS builds) next to the bundle
 * that holds the pool. See pool.ts, workerEntry().
 */
import { parentPort } from 'node:worker_threads';
import { runTask, toTaskError, transferablesOf, type IngestTask } from './tasks.ts';

if (!parentPort) throw new Error('the ingest worker entry runs only as a worker thread');
const port = parentPort;

port.on('message', (m: { id: number } & IngestTask) => {
  try {
    const value = runTask(m);
    port.postMessage({ id: m.id, ok: true, value }, transferablesOf(value));
  } catch (e) {
    port.postMessage({ id: m.id, ok: false, error: toTaskError(e) });
  }
});
