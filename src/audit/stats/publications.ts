import type { StoreTx } from '../../kernel/store-port.ts';

/**
 * When each alert was first published, from whatever the database holds: audit entries whose
 * action starts with `publish.` or is `incident.published` (naming the alert by entity or by
 * `alertId` in the payload), and an `incidents` table when publishing is installed. Absent
 * both, nothing counts as published.
 */
export async function publications(tx: StoreTx): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const note = (alertId: number, atUs: number) => {
    const prev = out.get(alertId);
    if (prev === undefined || atUs < prev) out.set(alertId, atUs);
  };
  for (const row of [...(await tx.audit.withActionPrefix('publish.')), ...(await tx.audit.withActionPrefix('incident.published'))]) {
    const m = /^alert:(\d+)$/.exec(row.entity);
    let alertId = m ? Number(m[1]) : null;
    if (alertId === null) {
      try {
        const p = JSON.parse(row.payload_json) as { alertId?: unknown };
        if (typeof p.alertId === 'number') alertId = p.alertId;
      } catch {
        /* unreadable payloads are verify's business */
      }
    }
    if (alertId !== null) note(alertId, row.at_us);
  }
  for (const r of await tx.auditReads.incidentPublications()) note(r.alert_id, r.published_us);
  return out;
}
