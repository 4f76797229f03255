/** The store-bench workloads through the port, the same on both backends. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAudit } from '../../../src/audit/verify.ts';
import type { Store as StorePort } from '../../../src/kernel/store-port.ts';
import { ClipStore } from '../../../src/store/clip-store.ts';
import { T0 } from '../../support/store-fixtures.ts';
import { benchAlert, benchDecision, benchSolution, decisionAudit, importAudit, LEASE, OLDEST_FIRST } from './workload.ts';

export async function portImport(port: StorePort, n: number): Promise<void> {
  const a = benchAlert(n);
  await port.write(async (tx) => {
    if ((await tx.alerts.findByKey(a.source, a.externalId)) !== undefined) throw new Error('duplicate bench alert');
    const id = await tx.alerts.insert(a);
    await tx.audit.append(importAudit(id, a));
    const sol = await tx.alerts.addSolution(id, 'machine', 'machine', a.importedUs, benchSolution());
    await tx.audit.append({
      atUs: a.importedUs,
      actor: 'machine',
      action: 'solution.added',
      entity: `alert:${id}`,
      payload: { version: sol.version, solution: benchSolution() },
    });
    tx.emit('alertAdded', { alert: (await tx.alerts.summary(id))! });
  });
}

export async function portDecide(port: StorePort, alertId: number, i: number): Promise<void> {
  await port.write(async (tx) => {
    await tx.alerts.lock(alertId);
    if ((await tx.decisions.statusOf(alertId)) !== 'pending') throw new Error('bench alert not pending');
    await tx.claims.activeOn(alertId, T0);
    const d = benchDecision(alertId, i);
    const decision = await tx.decisions.insert(d);
    await tx.audit.append(decisionAudit(d, decision.id));
    tx.emit('alertChanged', { alert: (await tx.alerts.summary(alertId))! });
  });
}

export async function portClaimNext(port: StorePort, seat: string): Promise<number | null> {
  return port.write(async (tx) => {
    const id = await tx.claims.next(OLDEST_FIRST, T0, []);
    if (id === undefined) return null;
    return (await tx.claims.take(id, { accountId: null, by: seat, seat }, T0, LEASE)) ? id : null;
  });
}

/**
 * `audit verify` itself through the port (the chain, the recorded head, the anchor file; no
 * records or clips, which the raw baseline does not do either). The bench log's entries are not
 * real imports, so the record checks would only report that.
 */
export async function portVerify(port: StorePort, dataDir: string): Promise<number> {
  mkdirSync(dataDir, { recursive: true });
  const r = await verifyAudit(
    { storePort: port, clips: new ClipStore(join(dataDir, 'clips')), config: { dataDir, defaultTemperatureC: 15 } },
    { clips: false, records: false },
  );
  if (!r.ok) throw new Error(`bench chain does not verify: ${JSON.stringify(r.first)}`);
  return r.entries;
}
