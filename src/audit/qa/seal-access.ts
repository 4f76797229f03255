import type { Store as StorePort } from '../../kernel/store-port.ts';
import type { SealedAlerts } from './sealed-alerts.ts';

/**
 * What the seal's method rules (seal-rules.ts) read and write: what the port's database holds (on
 * a centre, PostgreSQL, so every server seals alike). Each read is its own short transaction on
 * the port; the seal never holds one open across a handler.
 */
export interface SealAccess {
  /** Alerts selected for QA whose blind review is not in yet. */
  sealed(): Promise<ReadonlySet<number>>;
  /** Who made, revised or undid a decision on the alert. */
  decisionActors(alertId: number): Promise<ReadonlySet<string>>;
  incidentAlert(incidentId: number): Promise<number | undefined>;
  deliveryIncident(deliveryId: number): Promise<number | undefined>;
  /** Records that an overseer saw a sealed decision (once per person and alert), with its audit entry. */
  recordOpened(actor: string, alertId: number, atUs: number, via: string): Promise<void>;
}

/** `record` (the core's sealed alerts in memory) hears each look recorded, so live events follow it at once. */
export function portSealAccess(port: StorePort, record: SealedAlerts): SealAccess {
  return {
    sealed: () => port.read(async (tx) => new Set(await tx.qa.sealedAlertIds())),
    decisionActors: (alertId) => port.read((tx) => tx.auditReads.decisionActors(alertId)),
    incidentAlert: (id) => port.read(async (tx) => (await tx.incidents.get(id))?.alertId),
    deliveryIncident: (id) => port.read(async (tx) => (await tx.deliveries.get(id))?.incidentId),
    recordOpened: async (actor, alertId, atUs, via) => {
      await port.write(async (tx) => {
        // markSealViewed is true only the first time, so two servers opening at once log it once.
        if (await tx.qa.markSealViewed(alertId, actor, atUs)) {
          await tx.audit.append({ atUs, actor, action: 'qa.seal_opened', entity: `alert:${alertId}`, payload: { alertId, via } });
        }
      });
      record.opened(alertId, actor);
    },
  };
}
