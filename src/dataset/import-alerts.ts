import type { ProjectClip } from '../contract/index.ts';
import type { CoreServices } from '../core/services.ts';
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
): { added: ProjectClip[]; alreadyPresent: number } {
  const { store, clock } = core;
  const unique = [...new Set(alertIds)];
  const result = store.tx(() => {
    requireProject(core, projectId);
    const at = clock.nowUs();
    const addedIds: number[] = [];
    let alreadyPresent = 0;
    for (const alertId of unique) {
      const alert = store.alerts.detail(alertId);
      if (!alert) throw new UserError('not_found', `no alert ${alertId}: nothing was added`);
      for (const t of alert.tracks) {
        const originKey = `alert:${alertId}/${t.sensorId}`;
        if (store.datasetProjects.findProjectClip(projectId, t.clip.sha256, originKey)) {
          alreadyPresent++;
          continue;
        }
        addedIds.push(
          store.datasetProjects.insertProjectClip({
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
      store.audit.append({
        atUs: at,
        actor,
        action: 'dataset.alerts.added',
        entity: `project:${projectId}`,
        payload: { alertIds: unique, site: site ?? null, clipIds: addedIds },
      });
      store.datasetProjects.touchProject(projectId, at);
    }
    return { addedIds, alreadyPresent };
  });
  if (result.addedIds.length > 0) core.events.emit('datasetChanged', { projectId, what: 'clips', clipIds: result.addedIds });
  return { added: store.datasetProjects.clipsByIds(projectId, result.addedIds), alreadyPresent: result.alreadyPresent };
}
