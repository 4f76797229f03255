import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, writeFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { ImportOutcome } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import { formatIsoMicros } from '../util/time.ts';
import { importFolder } from './import.ts';
import { log } from '../util/log.ts';

/**
 * The watched inbox, <data>/inbox/. Drop an alert folder in it and it is imported, then
 * moved to inbox/imported/ (imported, or a duplicate of one imported before) or to
 * inbox/refused/ with <name>.reason.txt beside it saying why.
 *
 * When a folder is taken (it may still be being copied):
 * - the folder's listing (every file's relative path, size and modification time, down
 *   through sub-folders) must be the same at two consecutive polls, and
 * - it must hold alert.json (an acoustic-alert/1 bundle), or, for the formats without a
 *   manifest (sensor WAVs, research folders), have stayed unchanged for `quietMs`.
 * Names starting with a dot are never looked at: copy into `.name` and rename when done
 * for a move that is atomic whatever the poll timing. A loose file (not a folder) is moved
 * to refused/ once it is stable. Polling, not fs.watch: it works the same on network shares
 * and every platform.
 */

export interface InboxOptions {
  dir: string;
  /** Time between polls. */
  pollMs?: number;
  /** How long a folder without alert.json must stay unchanged. */
  quietMs?: number;
  /** Wait before retrying a folder whose import failed for a reason that was not the folder's fault. */
  retryMs?: number;
  actor: string;
  onOutcome?: (outcome: InboxOutcome) => void;
}

export interface InboxOutcome extends ImportOutcome {
  /** Where the folder is now. */
  movedTo: string | null;
}

export interface InboxWatcher {
  /**
   * One poll, now: resolves to what was taken, one folder imported at a time. The timer calls
   * it; tests call it directly. A poll asked for while one runs waits for it, then runs.
   */
  poll(): Promise<InboxOutcome[]>;
  /** Stops polling; resolves once a poll in progress has finished (the store can then close). */
  stop(): Promise<void>;
}

interface Seen {
  listing: string;
  sinceMs: number;
  /** The import failed unexpectedly at this listing; try again after this time. */
  retryAtMs?: number;
}

const SKIP = new Set(['imported', 'refused']);
const MAX_LISTED = 10_000;

/** Every entry under a folder as "path size mtime", sorted; links are listed, never followed. */
function listing(dir: string): string {
  const lines: string[] = [];
  const walk = (at: string, rel: string, depth: number) => {
    for (const name of readdirSync(at)) {
      if (lines.length > MAX_LISTED) return;
      const st = lstatSync(join(at, name));
      lines.push(`${rel}${name}\t${st.isDirectory() ? 'dir' : st.size}\t${st.mtimeMs}`);
      if (st.isDirectory() && depth < 8) walk(join(at, name), `${rel}${name}/`, depth + 1);
    }
  };
  walk(dir, '', 0);
  return lines.sort().join('\n');
}

/** A free name in a folder: name, name-2, name-3... */
function freeName(dir: string, name: string): string {
  let candidate = name;
  for (let i = 2; existsSync(join(dir, candidate)) || existsSync(join(dir, `${candidate}.reason.txt`)); i++) candidate = `${name}-${i}`;
  return candidate;
}

export function startInboxWatcher(core: CoreServices, o: InboxOptions): InboxWatcher {
  const pollMs = o.pollMs ?? 2000;
  const quietMs = o.quietMs ?? 30_000;
  const retryMs = o.retryMs ?? 60_000;
  const seen = new Map<string, Seen>();
  const nowMs = () => core.clock.nowUs() / 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  mkdirSync(o.dir, { recursive: true });

  const move = (name: string, to: 'imported' | 'refused', reason?: string): string => {
    const target = join(o.dir, to);
    mkdirSync(target, { recursive: true });
    const free = freeName(target, name);
    if (reason !== undefined) writeFileSync(join(target, `${free}.reason.txt`), `refused ${formatIsoMicros(core.clock.nowUs())}\n${reason}\n`);
    renameSync(join(o.dir, name), join(target, free));
    return join(target, free);
  };

  const take = async (name: string, st: Stats): Promise<InboxOutcome> => {
    const path = join(o.dir, name);
    let outcome: ImportOutcome;
    if (st.isSymbolicLink()) outcome = { path, status: 'refused', alertId: null, message: `${name} is a link; the inbox takes folders, not links to them` };
    else if (!st.isDirectory())
      outcome = {
        path,
        status: 'refused',
        alertId: null,
        message: `${name} is a file, not a folder; an alert is a folder (a bundle with alert.json, or sensor WAVs)`,
      };
    else outcome = await importFolder(core, path, o.actor);
    const movedTo = outcome.status === 'refused' ? move(name, 'refused', outcome.message) : move(name, 'imported');
    return { ...outcome, movedTo };
  };

  const pollOnce = async (): Promise<InboxOutcome[]> => {
    if (stopped) return [];
    const out: InboxOutcome[] = [];
    const present = new Set<string>();
    let names: string[];
    try {
      names = readdirSync(o.dir);
    } catch (e) {
      log.error({ dir: o.dir, reason: (e as Error).message }, 'inbox: cannot read the folder');
      return out;
    }
    for (const name of names) {
      if (name.startsWith('.') || SKIP.has(name)) continue;
      present.add(name);
      const path = join(o.dir, name);
      try {
        const st = lstatSync(path);
        const now = nowMs();
        const current = st.isDirectory() ? listing(path) : `${st.size}\t${st.mtimeMs}`;
        const before = seen.get(name);
        if (!before || before.listing !== current) {
          seen.set(name, { listing: current, sinceMs: now });
          continue; // new or still changing: look again next poll
        }
        if (before.retryAtMs !== undefined && now < before.retryAtMs) continue;
        const manifest = st.isDirectory() && existsSync(join(path, 'alert.json'));
        if (st.isDirectory() && !manifest && now - before.sinceMs < quietMs) continue;
        try {
          const outcome = await take(name, st);
          seen.delete(name);
          out.push(outcome);
          o.onOutcome?.(outcome);
        } catch (e) {
          // Not the folder's fault (disk full, database busy, a move refused): leave it and try later.
          log.error({ file: name, retryS: Math.round(retryMs / 1000), err: e }, 'inbox: a file could not be taken; trying again');
          seen.set(name, { ...before, retryAtMs: now + retryMs });
        }
      } catch (e) {
        // The entry vanished or cannot be read between listing and stat: look again next poll.
        seen.delete(name);
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log.error({ file: name, reason: (e as Error).message }, 'inbox: cannot look at a file');
      }
    }
    for (const name of seen.keys()) if (!present.has(name)) seen.delete(name);
    return out;
  };

  let running: Promise<InboxOutcome[]> = Promise.resolve([]);
  const poll = (): Promise<InboxOutcome[]> => {
    const next = running.catch(() => []).then(pollOnce);
    running = next;
    return next;
  };

  const arm = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      poll()
        .catch((e) => console.error('inbox: a poll failed:', e))
        .finally(arm);
    }, pollMs);
    timer.unref?.();
  };
  arm();

  return {
    poll,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
}
