// An ingest worker caught in input that never ends: it answers a scan at once and spins forever
// on a prepare, as a decoder looping on a hostile file would. For the pool's deadline test,
// which must not depend on how fast this machine reads a large bundle.
import { parentPort } from 'node:worker_threads';

parentPort.postMessage({ ready: true });
parentPort.on('message', (m) => {
  if (m.task === 'scan') {
    parentPort.postMessage({ id: m.id, ok: true, value: { sensors: [1, 2, 3, 4] } });
    return;
  }
  for (;;) {
    // Never yields: only terminating the thread ends this.
  }
});
