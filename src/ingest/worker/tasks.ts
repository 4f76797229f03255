import { isUserError } from '../../util/errors.ts';
import type { ErrorCode } from '../../contract/result.ts';
import { prepareAlert, type PrepareOptions, type PreparedAlert } from '../prepare.ts';
import { readAlertFolder } from '../readers.ts';
import type { IncomingAlert, ReadOptions } from '../types.ts';

/**
 * The work an import hands to a worker thread: reading a folder (metadata, checks) and preparing
 * an alert (decode, peaks, pick, locate). Both pure: they return plain data and write nothing,
 * so they run the same on a worker or, where there is none, on the calling thread.
 */
export type IngestTask = { task: 'scan'; dir: string; options: ReadOptions } | { task: 'prepare'; incoming: IncomingAlert; options: PrepareOptions };

export type IngestResult<T extends IngestTask> = T extends { task: 'scan' } ? IncomingAlert : PreparedAlert;

/** An error as it crosses threads: a user's error keeps its code and message; anything else is internal. */
export type TaskError = { user: true; code: ErrorCode; message: string } | { user: false; message: string; stack?: string };

export function runTask(t: IngestTask): IncomingAlert | PreparedAlert {
  return t.task === 'scan' ? readAlertFolder(t.dir, t.options) : prepareAlert(t.incoming, t.options);
}

export function toTaskError(e: unknown): TaskError {
  if (isUserError(e)) return { user: true, code: e.code, message: e.message };
  const err = e instanceof Error ? e : new Error(String(e));
  return { user: false, message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
}

/** The buffers of a result that can move to the other thread instead of being copied (the peaks). */
export function transferablesOf(value: IncomingAlert | PreparedAlert): ArrayBuffer[] {
  if (!('alert' in value)) return [];
  const out = new Set<ArrayBuffer>();
  for (const s of value.alert.sensors) {
    const b = s.peaks.buffer;
    if (b instanceof ArrayBuffer && b.byteLength === s.peaks.byteLength) out.add(b);
  }
  return [...out];
}
