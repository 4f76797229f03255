import type { ClipStore } from '../store/clip-store.ts';
import { StoreConstraintError, type Store as StorePort } from '../kernel/store-port.ts';
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
 * audit entries in one write on the store port, announcing `alertAdded` once it commits (to
 * every server on the database). The same (source, id) twice changes nothing, however many
 * imports of it race: on PostgreSQL the loser of two concurrent inserts meets the unique key,
 * and reads the winner's alert as a duplicate.
 */
export async function commitAlert(port: StorePort, clipStore: ClipStore, p: PreparedAlert, actor: string): Promise<CommitOutcome> {
  const key = [p.alert.source, p.alert.externalId] as const;
  const existing = await port.read((tx) => tx.alerts.findByKey(...key));
  if (existing !== undefined) return { status: 'duplicate', alertId: existing };
  for (const c of p.clips) await storeClip(clipStore, c);
  try {
    return await port.write(async (tx) => {
      const again = await tx.alerts.findByKey(...key);
      if (again !== undefined) return { status: 'duplicate' as const, alertId: again };
      const alertId = await tx.alerts.insert(p.alert);
      const at = p.alert.importedUs;
      await tx.audit.append({
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
        const sol = await tx.alerts.addSolution(alertId, 'machine', 'machine', at, p.solution);
        await tx.audit.append({
          atUs: at,
          actor: 'machine',
          action: 'solution.added',
          entity: `alert:${alertId}`,
          payload: { version: sol.version, origin: 'machine', solution: p.solution },
        });
      }
      const summary = await tx.alerts.summary(alertId);
      if (summary) tx.emit('alertAdded', { alert: summary });
      return { status: 'imported' as const, alertId };
    });
  } catch (e) {
    if (!(e instanceof StoreConstraintError) || e.kind !== 'unique') throw e;
    const winner = await port.read((tx) => tx.alerts.findByKey(...key));
    if (winner === undefined) throw e;
    return { status: 'duplicate', alertId: winner };
  }
}
