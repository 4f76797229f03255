import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportOutcome } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import { isUserError } from '../util/errors.ts';
import { commitAlert } from './commit.ts';
import { LIMITS } from './limits.ts';
import { readerFor } from './readers.ts';
import type { IncomingAlert } from './types.ts';
import { ingestWork, type IngestWork } from './worker/pool.ts';

/**
 * Imports one already-read alert and announces it. The audio work runs on `work` (worker
 * threads by default), the commit on the store port. Errors a user can cause come back as a refusal.
 */
export async function importIncoming(
  core: CoreServices,
  incoming: IncomingAlert,
  actor: string,
  label: string,
  work: IngestWork = ingestWork(),
): Promise<ImportOutcome> {
  try {
    const { known, knownSensors } = await core.storePort.read(async (tx) => ({
      known: await tx.alerts.findByKey(incoming.source, incoming.externalId),
      knownSensors: SILENCE_MEANS_UNHEARD.has(incoming.format)
        ? await tx.sensors.reportedBetween(incoming.source, incoming.detectedUs - ALIVE_WITHIN_US, incoming.detectedUs + ALIVE_WITHIN_US, KNOWN_SENSORS_MAX)
        : [],
    }));
    if (known !== undefined) return duplicate(label, incoming, known);
    const prepared = await work.prepare(incoming, {
      defaultTemperatureC: core.config.defaultTemperatureC,
      nowUs: core.clock.nowUs(),
      knownSensors: knownSensors.map(({ sensorId, lat, lon }) => ({ sensorId, lat, lon })),
    });
    // Announced (alertAdded) by the commit itself, once it is durable.
    const outcome = await commitAlert(core.storePort, core.clips, prepared, actor);
    if (outcome.status === 'duplicate') return duplicate(label, incoming, outcome.alertId);
    return {
      path: label,
      status: 'imported',
      alertId: outcome.alertId,
      message: `imported ${incoming.source}/${incoming.externalId} with ${incoming.sensors.length} sensors`,
    };
  } catch (e) {
    if (isUserError(e)) return { path: label, status: 'refused', alertId: null, message: e.message };
    throw e;
  }
}

/**
 * A sensor is taken as alive for an alert (its silence then weighs against a source beside it)
 * only where it reported in another alert of the same source within a day of it, before or after
 * (an import of old alerts reads them in their own time). A day, not longer: a sensor taken down
 * for repair reads as a silent witness and can rule out the true solution, a harm worse than a
 * fix left ambiguous; a working sensor in a city hears a firework or a door slam most days.
 */
const ALIVE_WITHIN_US = 24 * 3600 * 1_000_000;
/**
 * Formats whose alert lists every sensor that heard the shot (a network's own alert), so a
 * known sensor missing from it heard nothing. A folder of ShotSpotter sensor WAVs holds the
 * sensors whose audio was handed over, which may be a few of those that heard it.
 */
const SILENCE_MEANS_UNHEARD = new Set(['acoustic-alert/1']);
/** A network's sensors, at most (the store keeps every sensor any alert named). */
const KNOWN_SENSORS_MAX = 2000;

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

/** How deep a folder of alerts is searched: a research data set's firing positions hold their tests one level down. */
const MAX_DEPTH = 3;

const isDir = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/**
 * The alert folders a path names: itself when it is one (or is not a folder at all, so the
 * importer says why), else every alert folder below it (the output of `earwitness demo`, a
 * research data set's firing positions and tests), in name order, never looking inside an
 * alert folder nor into hidden folders. Empty when a folder holds no alert anywhere.
 */
export function alertFolders(path: string, depth = 0, found: string[] = []): string[] {
  if (!isDir(path) || readerFor(path)) {
    found.push(path);
    return found;
  }
  if (depth >= MAX_DEPTH) return found;
  let names: string[];
  try {
    names = readdirSync(path, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    return found;
  }
  for (const name of names) {
    if (found.length >= LIMITS.foldersPerImport) break;
    const child = join(path, name);
    if (readerFor(child)) found.push(child);
    else alertFolders(child, depth + 1, found);
  }
  return found;
}

/**
 * Imports paths one alert at a time: each is read, prepared and committed before the next is
 * opened, so memory holds one alert's work however many are given. A path that is a folder of
 * alert folders is imported folder by folder. `onOutcome` hears each as it is decided.
 */
export async function importFolders(
  core: CoreServices,
  paths: readonly string[],
  actor: string,
  onOutcome?: (o: ImportOutcome) => void,
): Promise<ImportOutcome[]> {
  const outcomes: ImportOutcome[] = [];
  const report = (o: ImportOutcome) => {
    outcomes.push(o);
    onOutcome?.(o);
  };
  for (const path of paths) {
    const folders = alertFolders(path);
    if (folders.length === 0) {
      // Neither an alert nor a folder of them: the importer's own refusal says what an alert is.
      const refused = await importFolder(core, path, actor);
      report(refused.status === 'refused' ? { ...refused, message: `${refused.message}, and no folder below it is one either` } : refused);
      continue;
    }
    for (const dir of folders) report(await importFolder(core, dir, actor));
  }
  return outcomes;
}

function duplicate(label: string, a: IncomingAlert, alertId: number): ImportOutcome {
  return { path: label, status: 'duplicate', alertId, message: `${a.source}/${a.externalId} was imported before; nothing changed` };
}
