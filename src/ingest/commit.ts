import type { ClipStore } from '../store/clip-store.ts';
import type { Store } from '../store/store.ts';
import { isUserError, UserError } from '../util/errors.ts';
import type { PreparedAlert, PreparedClip } from './prepare.ts';

export interface CommitOutcome {
  status: 'imported' | 'duplicate';
  alertId: number;
}

/**
 * Copies a prepared clip into the clip store: from its file, in chunks, checking it is still the
 * file that was hashed (the event loop stays free and no clip is held whole), or from memory.
 */
async function storeClip(clipStore: ClipStore, c: PreparedClip): Promise<void> {
  try {
    if (c.source.kind === 'bytes') clipStore.put(c.sha256, c.source.bytes);
    else await clipStore.putFile(c.sha256, c.source.path, c.source);
  } catch (e) {
    if (isUserError(e)) throw new UserError(e.code, `${c.name}: ${e.message}`);
    throw e;
  }
}

/**
 * Stores a prepared alert: clip files first (content-addressed, so a failure later leaves
 * only an unreferenced file), then the alert, its sensors, pulses, machine solution and
 * audit entries in one transaction. The same (source, id) twice changes nothing.
 */
export async function commitAlert(store: Store, clipStore: ClipStore, p: PreparedAlert, actor: string): Promise<CommitOutcome> {
  const existing = store.alerts.findByKey(p.alert.source, p.alert.externalId);
  if (existing !== undefined) return { status: 'duplicate', alertId: existing };
  for (const c of p.clips) await storeClip(clipStore, c);
  return store.tx(() => {
    const again = store.alerts.findByKey(p.alert.source, p.alert.externalId);
    if (again !== undefined) return { status: 'duplicate' as const, alertId: again };
    const alertId = store.alerts.insert(p.alert);
    const at = p.alert.importedUs;
    store.audit.append({
      atUs: at,
      actor,
      action: 'alert.imported',
      entity: `alert:${alertId}`,
      payload: {
        source: p.alert.source,
        externalId: p.alert.externalId,
        format: p.alert.format,
        detectedUs: p.alert.detectedUs,
        machine: p.alert.machine,
        coordinates: p.alert.coordinates,
        sensors: p.alert.sensors.map((s) => ({ sensorId: s.sensorId, position: s.position, clipSha256: s.clip.sha256, clipStartUs: s.clipStartUs })),
      },
    });
    if (p.solution) {
      const sol = store.alerts.addSolution(alertId, 'machine', 'machine', at, p.solution);
      store.audit.append({
        atUs: at,
        actor: 'machine',
        action: 'solution.added',
        entity: `alert:${alertId}`,
        payload: { version: sol.version, origin: 'machine', solution: p.solution },
      });
    }
    return { status: 'imported' as const, alertId };
  });
}
