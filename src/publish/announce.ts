import type { WriteTx } from '../kernel/store-port.ts';
import { deliveryView, incidentViewTx } from './views.ts';

/** Tells every seat about an incident and the deliveries it touched (this also wakes the delivery worker), declared inside a port write: emitted once, after it commits, on every server of the database. */
export async function announceIncidentTx(tx: WriteTx, incidentId: number, deliveryIds: readonly number[], nowUs: number): Promise<void> {
  for (const id of deliveryIds) {
    const d = await tx.deliveries.get(id);
    if (d) tx.emit('deliveryChanged', { delivery: deliveryView(d, nowUs) });
  }
  const incident = await tx.incidents.get(incidentId);
  if (incident) tx.emit('incidentChanged', { incident: await incidentViewTx(tx, incident, nowUs) });
}

/** Inside a port write: the deliveries that changed (moved, cancelled), each announced with its incident after COMMIT. */
export async function announceDeliveriesTx(tx: WriteTx, deliveryIds: readonly number[], nowUs: number): Promise<void> {
  const byIncident = new Map<number, number[]>();
  for (const d of deliveryIds) {
    const rec = await tx.deliveries.get(d);
    if (rec) byIncident.set(rec.incidentId, [...(byIncident.get(rec.incidentId) ?? []), d]);
  }
  for (const [incidentId, ids] of byIncident) await announceIncidentTx(tx, incidentId, ids, nowUs);
}
