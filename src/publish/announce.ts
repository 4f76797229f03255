import type { CoreServices } from '../core/services.ts';
import { deliveryView, incidentView } from './views.ts';

/** After a commit: tell every seat about an incident and the deliveries it touched (this also wakes the delivery worker). */
export function announceIncident(core: CoreServices, incidentId: number, deliveryIds: readonly number[] = []): void {
  const { store, events, clock } = core;
  const now = clock.nowUs();
  for (const id of deliveryIds) {
    const d = store.deliveries.get(id);
    if (d) events.emit('deliveryChanged', { delivery: deliveryView(d, now) });
  }
  const incident = store.incidents.get(incidentId);
  if (incident) events.emit('incidentChanged', { incident: incidentView(store, incident, now) });
}
