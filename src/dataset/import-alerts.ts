import type { ProjectClip } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import { UserError } from '../util/errors.ts';
import { requireProject } from './projects.ts';

/**
 * Adds every track of the given alerts to a project: the clip stays where ingest stored it, the
 * project clip keeps the sensor, channel and clip start, so exports can write sensor and times.
 * One transaction for the whole call; an unknown alert refuses the call and adds nothing.
 */
export function addAlertsToProject(
  core: CoreServices,
  actor: string,
  projectId: number,
  alertIds: readonly number[],
  site?: string,
): Promise<{ added: ProjectClip[]; alreadyPresent: number }> {
  const unique = [...new Set(alertIds)];
  return core.storePort.write(async (tx) => {
    // Two adds of the same alerts at once: the second waits, then finds the first's clips.
    await tx.lock(`dataset-project-clips:${projectId}`);
    await requireProject(tx, projectId);
    const at = core.clock.nowUs();
    const addedIds: number[] = [];
    let alreadyPresent = 0;
    for (const alertId of unique) {
      const alert = await tx.alerts.detail(alertId);
      if (!alert) throw new UserError('not_found', `no alert ${alertId}: nothing was added`);
      for (const t of alert.tracks) {
        const originKey = `alert:${alertId}/${t.sensorId}`;
        if (await tx.datasetProjects.findProjectClip(projectId, t.clip.sha256, originKey)) {
          alreadyPresent++;
          continue;
        }
        addedIds.push(
          await tx.datasetProjects.insertProjectClip({
            projectId,
            sha256: t.clip.sha256,
            origin: 'alert',
            originKey,
            alertId,
            sensorId: t.sensorId,
            channel: t.channel,
            clipStartUs: t.clipStartUs,
            name: `${alert.source}/${alert.externalId}/${t.sensorId}`,
            site: site ?? alert.source,
            sensorKey: `${alert.source}/${t.sensorId}`,
            addedBy: actor,
            addedUs: at,
          }),
        );
      }
    }
    if (addedIds.length > 0) {
      await tx.audit.append({
        atUs: at,
        actor,
        action: 'dataset.alerts.added',
        entity: `project:${projectId}`,
        payload: { alertIds: unique, site: site ?? null, clipIds: addedIds },
      });
      await tx.datasetProjects.touchProject(projectId, at);
      tx.emit('datasetChanged', { projectId, what: 'clips', clipIds: addedIds });
    }
    return { added: await tx.datasetProjects.clipsByIds(projectId, addedIds), alreadyPresent };
  });
}
