/**
 * decide on the store port (`npm run bench -- --only decide`): one decision of confirmed gunfire
 * as the handler writes it now (one port write: the alert locked, the claim checked, the decision
 * and its audit entry, the outbox's incident, message and delivery, the QA draw, the summary and
 * the incident's announcements), beside the same decision as decide wrote it before, in one
 * synchronous transaction on the data folder's SQLite file (the claim check, the decision, the
 * synchronous outbox, frozen in ../decide-sync-baseline.ts, the QA draw, the summary), in the same run on alerts alike: p50 and p99 of
 * sequential decisions, and the wall time of 50 seats each deciding its own alert at once.
 * PostgreSQL as the tests find it.
 */
import { syncQaDraw } from '../baselines/sync-qa-draw.ts';
import type { Core } from '../../../src/core/core.ts';
import type { StoreBackend } from '../../../src/kernel/store-port.ts';
import { reviewHandlers } from '../../../src/review/decide.ts';
import { seedPublishable } from '../../support/publishable.ts';
import { publishDecisionOnSyncStore } from '../decide-sync-baseline.ts';
import { onBothBackends } from '../both-backends.ts';
import { percentile } from '../store/workload.ts';
import type { BenchContext, BenchSuite, Figure } from '../types.ts';

const SEATS = 50;
const INPUT = { class: 'gunfire_multiple', rounds: 2, flags: { fullyAutomatic: false, multipleShooters: false }, notes: '', reviewMs: 3000 } as const;

/** The handler as the core runs it, for the command line's session (no claim needed, as for every seat's own). */
async function decideOnPort(core: Core, alertId: number): Promise<void> {
  await reviewHandlers.decide({ core, session: core.cliSession(), blind: false }, { alertId, ...INPUT });
}

/** decide's transaction as it was on the synchronous store (before this change), with its summary read. */
async function decideOnSyncStore(core: Core, alertId: number): Promise<void> {
  const { store, clock } = core;
  store.tx(() => {
    if (store.decisions.statusOf(alertId) !== 'pending') throw new Error(`alert ${alertId} is not pending`);
    const now = clock.nowUs();
    if (!store.claims.activeOn(alertId, now)) store.claims.remove(alertId);
    const d = store.decisions.insert({ alertId, ...INPUT, decidedBy: 'bench', decidedUs: now });
    store.audit.append({ atUs: now, actor: 'bench', action: 'decision.made', entity: `alert:${alertId}`, payload: d });
    publishDecisionOnSyncStore(store, d, 'bench');
    syncQaDraw(store, alertId, 'bench', now);
  });
  store.alerts.summary(alertId);
}

async function measure(backend: StoreBackend, core: Core, ctx: BenchContext): Promise<Figure[]> {
  const n = ctx.quick ? 20 : 200;
  const each = n + SEATS;
  const { alertIds } = await core.storePort.write((tx) => seedPublishable(tx, backend === 'sqlite' ? 2 * each : each));
  const onPort = alertIds.slice(0, each);
  // The synchronous store's file holds alerts alike (on SQLite it is the port's own file).
  const onSync = backend === 'sqlite' ? alertIds.slice(each) : (await core.store.port().write((tx) => seedPublishable(tx, each))).alertIds;
  const sequential = async (ids: number[], decide: (id: number) => Promise<void>) => {
    const times: number[] = [];
    for (const id of ids) {
      const t = performance.now();
      await decide(id);
      times.push(performance.now() - t);
    }
    return times;
  };
  const together = async (ids: number[], decide: (id: number) => Promise<void>) => {
    const t = performance.now();
    await Promise.all(ids.map(decide));
    return performance.now() - t;
  };
  const syncMs = await sequential(onSync.slice(0, n), (id) => decideOnSyncStore(core, id));
  const portMs = await sequential(onPort.slice(0, n), (id) => decideOnPort(core, id));
  const syncWallMs = await together(onSync.slice(n), (id) => decideOnSyncStore(core, id));
  const portWallMs = await together(onPort.slice(n), (id) => decideOnPort(core, id));
  const published = await core.storePort.read(async (tx) => (await tx.incidents.list('all', 10_000)).length);
  if (published < each) throw new Error(`only ${published} of ${each} decisions were published on the port`);
  ctx.log(`${backend}: ${n} decisions each way, then ${SEATS} seats at once; ${published} incidents on the port`);
  const f = (metric: string, value: number, baseline: number): Figure => ({
    name: `decide.${metric}.${backend}`,
    value,
    baseline,
    unit: 'ms',
    baselineLabel: 'the same decision in one synchronous transaction (SQLite file), as decide wrote it before',
    higherIsBetter: false,
  });
  return [
    f('p50_ms', percentile(portMs, 50), percentile(syncMs, 50)),
    f('p99_ms', percentile(portMs, 99), percentile(syncMs, 99)),
    f(`seats${SEATS}_wall_ms`, portWallMs, syncWallMs),
  ];
}

export const suite: BenchSuite = {
  name: 'decide',
  run: (ctx) => onBothBackends(ctx, 'decide', measure),
};
