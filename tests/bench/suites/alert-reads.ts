/**
 * Alert reads on the store port (`npm run bench -- --only alert-reads`): what a seat's opening of
 * an alert costs in store work now that getAlert and getPeaks run on the port, with the QA seal
 * reading through it (the sealed set, the detail, the summary and peaks: three read
 * transactions), beside the same reads on the synchronous store as the handlers and the seal made
 * them before (the data folder's SQLite file), in the same run on the same alert: p50 and p99 of
 * sequential opens, and the wall time of 50 seats opening it 10 times each at once. The alert has
 * six sensors of 4,000 peak pairs, a real alert's size. PostgreSQL as the tests find it.
 */
import { encodePeaks } from '../../../src/contract/index.ts';
import type { Core } from '../../../src/core/core.ts';
import type { Store as StorePort, StoreBackend } from '../../../src/kernel/store-port.ts';
import type { Store } from '../../../src/store/store.ts';
import { newAlert, sensor } from '../../support/store-fixtures.ts';
import { onBothBackends } from '../both-backends.ts';
import { percentile } from '../store/workload.ts';
import type { BenchContext, BenchSuite, Figure } from '../types.ts';

const SEATS = 50;
const bigAlert = () =>
  newAlert(1, {
    sensors: [1, 2, 3, 4, 5, 6].map((i) => ({
      ...sensor(i, { alert: 1 }),
      peaks: Float32Array.from({ length: 8000 }, (_, k) => (k % 2 ? -1 : 1) * Math.abs(Math.sin(k / 97 + i))),
    })),
  });

/** The handlers' and the seal's store work on the port, as getAlert then getPeaks run it now. */
async function openOnPort(port: StorePort, id: number): Promise<number> {
  const sealed = await port.read(async (tx) => new Set(await tx.qa.sealedAlertIds()));
  const detail = await port.read((tx) => tx.alerts.detail(id));
  const tracks = await port.read(async (tx) => ((await tx.alerts.summary(id)) ? tx.alerts.peaks(id) : []));
  return sealed.size + (detail ? 1 : 0) + tracks.map((t) => encodePeaks(t.peaks)).length;
}

/** The same on the synchronous store, as the handlers and the seal read it before. */
async function openOnSyncStore(store: Store, id: number): Promise<number> {
  const sealed = new Set(store.qa.sealedAlertIds());
  const detail = store.alerts.detail(id);
  const tracks = store.alerts.summary(id) ? store.alerts.peaks(id) : [];
  return sealed.size + (detail ? 1 : 0) + tracks.map((t) => encodePeaks(t.peaks)).length;
}

async function measure(backend: StoreBackend, core: Core, ctx: BenchContext): Promise<Figure[]> {
  const n = ctx.quick ? 30 : 300;
  const perSeat = ctx.quick ? 2 : 10;
  const id = await core.storePort.write((tx) => tx.alerts.insert(bigAlert()));
  // The synchronous store's file holds the same alert (on SQLite it is the port's own file).
  const syncId = backend === 'sqlite' ? id : await core.store.port().write((tx) => tx.alerts.insert(bigAlert()));
  const sequential = async (open: () => Promise<number>) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      if ((await open()) < 6) throw new Error('the bench alert was not read whole');
      times.push(performance.now() - t);
    }
    return times;
  };
  const together = async (open: () => Promise<number>) => {
    const t = performance.now();
    await Promise.all(Array.from({ length: SEATS }, async () => Promise.all(Array.from({ length: perSeat }, open))));
    return performance.now() - t;
  };
  const syncMs = await sequential(() => openOnSyncStore(core.store, syncId));
  const portMs = await sequential(() => openOnPort(core.storePort, id));
  const syncWallMs = await together(() => openOnSyncStore(core.store, syncId));
  const portWallMs = await together(() => openOnPort(core.storePort, id));
  ctx.log(`${backend}: ${n} opens each way, then ${SEATS} seats x ${perSeat} at once`);
  const f = (metric: string, value: number, baseline: number): Figure => ({
    name: `alert_reads.${metric}.${backend}`,
    value,
    baseline,
    unit: 'ms',
    baselineLabel: 'the same reads on the synchronous store (SQLite file)',
    higherIsBetter: false,
  });
  return [
    f('open_p50_ms', percentile(portMs, 50), percentile(syncMs, 50)),
    f('open_p99_ms', percentile(portMs, 99), percentile(syncMs, 99)),
    f(`seats${SEATS}_wall_ms`, portWallMs, syncWallMs),
  ];
}

export const suite: BenchSuite = {
  name: 'alert-reads',
  run: (ctx) => onBothBackends(ctx, 'alert_reads', measure),
};
