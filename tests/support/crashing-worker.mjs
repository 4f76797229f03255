// An ingest worker that comes up and then dies on its first task, as a worker would on a fault
// in native code or running out of memory: for the pool's test that a lost worker fails its
// task alone and is replaced.
import { parentPort } from 'node:worker_threads';

parentPort.postMessage({ ready: true });
parentPort.on('message', () => process.exit(3));
