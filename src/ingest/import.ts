import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportOutcome } from '../contract/index.ts';
import type { CoreServices } from '../core/services.ts';
import { isUserError } from '../util/errors.ts';
import { commitAlert } from './commit.ts';
import { LIMITS } from './limits.ts';
import { readerFor } from './readers.ts';
import type { IncomingAlert } from './types.ts';
import { ingestWork, type IngestWork } from './worker/pool.ts';

/**
 * Imports one already-read alert and announces it. The audio work runs on `work` (worker
 * threads by default), the store commit here. Errors a user can cause come back as a refusal.
 */
export async function importIncoming(core: CoreServices, incoming: IncomingAlert, actor: string, label: string, work: IngestWork = ingestWork()): Promise<ImportOutcome> {
  try {
    const known = core.store.alerts.findByKey(incoming.source, incoming.externalId);
    if (known !== undefined) return duplicate(label, incoming, known);
    const prepared = await work.prepare(incoming, { defaultTemperatureC: core.config.defaultTemperatureC, nowUs: core.clock.nowUs() });
    const outcome = await commitAlert(core.store, core.clips, prepared, actor);
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
export async function importFolder(core: CoreServices, dir: string, actor: string, work: IngestWork = ingestWork()): Promise<ImportOutcome> {
  let incoming: IncomingAlert;
  try {
    incoming = await work.scan(dir, { nowUs: core.clock.nowUs() });
  } catch (e) {
    if (isUserError(e)) return { path: dir, status: 'refused', alertId: null, message: e.message };
    throw e;
  }
  return importIncoming(core, incoming, actor, dir, work);
}

/**
 * The alert folders inside a folder that is not an alert itself (the output of
 * `earwitness demo`, a research data set's flight of tests), by name; null when it is an alert,
 * or holds no sub-folder (then importing it says why it is not one).
 */
function alertFoldersIn(dir: string): string[] | null {
  try {
    if (!statSync(dir).isDirectory() || readerFor(dir)) return null;
    const names = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
    return names.length > 0 ? names.slice(0, LIMITS.foldersPerImport).map((n) => join(dir, n)) : null;
  } catch {
    return null;
  }
}

/**
 * Imports paths one alert at a time: each is read, prepared and committed before the next is
 * opened, so memory holds one alert's work however many are given. A path that is a folder of
 * alert folders is imported folder by folder. `onOutcome` hears each as it is decided.
 */
export async function importFolders(core: CoreServices, paths: readonly string[], actor: string, onOutcome?: (o: ImportOutcome) => void): Promise<ImportOutcome[]> {
  const outcomes: ImportOutcome[] = [];
  for (const path of paths) {
    for (const dir of alertFoldersIn(path) ?? [path]) {
      const outcome = await importFolder(core, dir, actor);
      outcomes.push(outcome);
      onOutcome?.(outcome);
    }
  }
  return outcomes;
}

function duplicate(label: string, a: IncomingAlert, alertId: number): ImportOutcome {
  return { path: label, status: 'duplicate', alertId, message: `${a.source}/${a.externalId} was imported before; nothing changed` };
}
