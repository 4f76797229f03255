import type { ImportOutcome } from '../contract/index.ts';
import type { CoreServices } from '../core/services.ts';
import { isUserError } from '../util/errors.ts';
import { commitAlert } from './commit.ts';
import { prepareAlert } from './prepare.ts';
import { readAlertFolder } from './readers.ts';
import type { IncomingAlert } from './types.ts';

/** Imports one already-read alert and announces it. Errors a user can cause come back as a refusal. */
export function importIncoming(core: CoreServices, incoming: IncomingAlert, actor: string, label: string): ImportOutcome {
  try {
    const known = core.store.alerts.findByKey(incoming.source, incoming.externalId);
    if (known !== undefined) return duplicate(label, incoming, known);
    const prepared = prepareAlert(incoming, { defaultTemperatureC: core.config.defaultTemperatureC, nowUs: core.clock.nowUs() });
    const outcome = commitAlert(core.store, core.clips, prepared, actor);
    if (outcome.status === 'duplicate') return duplicate(label, incoming, outcome.alertId);
    const summary = core.store.alerts.summary(outcome.alertId);
    if (summary) core.events.emit('alertAdded', { alert: summary });
    return { path: label, status: 'imported', alertId: outcome.alertId, message: `imported ${incoming.source}/${incoming.externalId} with ${incoming.sensors.length} sensors` };
  } catch (e) {
    if (isUserError(e)) return { path: label, status: 'refused', alertId: null, message: e.message };
    throw e;
  }
}

/** Reads a folder of any input kind and imports it. */
export function importFolder(core: CoreServices, dir: string, actor: string): ImportOutcome {
  let incoming: IncomingAlert;
  try {
    incoming = readAlertFolder(dir);
  } catch (e) {
    if (isUserError(e)) return { path: dir, status: 'refused', alertId: null, message: e.message };
    throw e;
  }
  return importIncoming(core, incoming, actor, dir);
}

function duplicate(label: string, a: IncomingAlert, alertId: number): ImportOutcome {
  return { path: label, status: 'duplicate', alertId, message: `${a.source}/${a.externalId} was imported before; nothing changed` };
}
