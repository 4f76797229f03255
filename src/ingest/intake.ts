import { realpathSync } from 'node:fs';
import type { CoreServices } from '../kernel/services.ts';
import { isUserError } from '../util/errors.ts';
import { parseStrictJsonBytes } from '../util/strict-json.ts';
import { importIncoming } from './import.ts';
import type { IncomingAlert } from './types.ts';
import { ingestWork, type IngestWork } from './worker/pool.ts';

/** What became of a bundle a sensor network pushed. */
export type PushOutcome =
  | { status: 'imported' | 'duplicate'; alertId: number; message: string }
  | { status: 'refused'; message: string }
  /** The alert names another source than the key's: nothing is read further, nothing stored. */
  | { status: 'wrong_source'; message: string };

const wrongSource = (named: string, keySource: string): PushOutcome => ({
  status: 'wrong_source',
  message: `this key is for source ${JSON.stringify(keySource)}; the alert names ${JSON.stringify(named)}`,
});

/**
 * A first look at alert.json as it arrives, before any clip is received: its source and id when
 * it is well-formed enough to tell, so a push for another source or one already stored is answered
 * at once. Anything else (malformed, odd shapes) is left to the importer, which says why.
 */
export function peekManifest(bytes: Uint8Array): { source: string; id: string } | null {
  try {
    const m = parseStrictJsonBytes(bytes) as { source?: unknown; id?: unknown } | null;
    return m && typeof m === 'object' && typeof m.source === 'string' && typeof m.id === 'string' ? { source: m.source, id: m.id } : null;
  } catch {
    return null;
  }
}

/** What a peeked manifest means before the clips arrive: refuse now, answer as a duplicate now, or go on. */
export async function earlyAnswer(core: CoreServices, peek: { source: string; id: string } | null, keySource: string): Promise<PushOutcome | null> {
  if (peek === null) return null;
  if (peek.source !== keySource) return wrongSource(peek.source, keySource);
  const known = await core.storePort.read((tx) => tx.alerts.findByKey(peek.source, peek.id));
  return known === undefined ? null : duplicate(peek.source, peek.id, known);
}

const duplicate = (source: string, id: string, alertId: number): PushOutcome => ({
  status: 'duplicate',
  alertId,
  message: `${source}/${id} was imported before; nothing changed`,
});

/**
 * Imports a pushed bundle, received into `dir`, through the importer's own reader and commit, so
 * its validation is exactly the importer's. The alert must name the key's source. Messages never
 * show the server's folder: it is "the bundle" to the sender.
 */
export async function importPushed(core: CoreServices, dir: string, keySource: string, actor: string, work: IngestWork = ingestWork()): Promise<PushOutcome> {
  const scrub = scrubber(dir);
  let incoming: IncomingAlert;
  try {
    incoming = await work.scan(dir, { nowUs: core.clock.nowUs() });
  } catch (e) {
    if (isUserError(e)) return { status: 'refused', message: scrub(e.message) };
    throw e;
  }
  if (incoming.format !== 'acoustic-alert/1') return { status: 'refused', message: `the intake takes acoustic-alert/1 bundles, not ${incoming.format}` };
  if (incoming.source !== keySource) return wrongSource(incoming.source, keySource);
  const o = await importIncoming(core, incoming, actor, 'bundle', work);
  if (o.status === 'refused' || o.alertId === null) return { status: 'refused', message: scrub(o.message) };
  return { status: o.status, alertId: o.alertId, message: o.message };
}

function scrubber(dir: string): (message: string) => string {
  let real = dir;
  try {
    real = realpathSync(dir);
  } catch {
    /* the path as given is all there is to hide */
  }
  return (m) => m.replaceAll(`${real}/`, '').replaceAll(`${dir}/`, '').replaceAll(real, 'the bundle').replaceAll(dir, 'the bundle');
}
