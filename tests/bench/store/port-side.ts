/** The store-bench workloads through the port, the same on both backends. */
import { auditEntryDigest, GENESIS_HASH, type Store as StorePort } from '../../../src/kernel/store-port.ts';
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

export async function portVerify(port: StorePort): Promise<number> {
  return port.read(async (tx) => {
    let prev = GENESIS_HASH;
    let n = 0;
    for await (const r of tx.audit.iterate()) {
      const hash = auditEntryDigest(prev, { seq: r.seq, atUs: r.at_us, actor: r.actor, action: r.action, entity: r.entity, payloadJson: r.payload_json });
      if (hash !== r.hash || r.prev_hash !== prev) throw new Error(`chain broken at ${r.seq}`);
      prev = r.hash;
      n++;
    }
    return n;
  });
}
