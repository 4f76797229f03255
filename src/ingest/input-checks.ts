import { UserError } from '../util/errors.ts';
import { implausibleInstant } from '../util/time.ts';
import { LIMITS } from './limits.ts';
import type { InsideFile } from './safe-path.ts';

/** Refuses an input time later than a day after the core's clock, naming where it was read. */
export function refuseFutureTime(us: number, nowUs: number, where: string): void {
  const why = implausibleInstant(us, nowUs);
  if (why) throw new UserError('bad_file', `${where}: ${why}`);
}

/**
 * Checks the clip files of one alert before any is read: two sensors never share a recording
 * (the same file, through any name or link, and the same channel: it would be one microphone
 * passed off as two), and the distinct files together stay under the alert's limit.
 */
export interface ClipEntry {
  file: InsideFile;
  channel: number;
  /** The name the input gave the clip. */
  name: string;
  /** Where it is named, as a message begins: `alert.json: sensors.3.clip`. */
  where: string;
  /** How another message refers to that place: `sensors.3`. */
  label: string;
}

export function checkClipSet(entries: readonly ClipEntry[]): void {
  const seen = new Map<string, string>();
  let total = 0;
  for (const e of entries) {
    const fileKey = `${e.file.dev}:${e.file.ino}`;
    const key = `${fileKey}#${e.channel}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new UserError(
        'bad_file',
        `${e.where}: ${JSON.stringify(e.name)} channel ${e.channel} is the audio of ${earlier} already; two sensors cannot have recorded the same audio`,
      );
    }
    seen.set(key, e.label);
    if (!seen.has(fileKey)) {
      seen.set(fileKey, e.label);
      total += e.file.size;
    }
  }
  if (total > LIMITS.alertClipBytes)
    throw new UserError('bad_file', `the clips of this alert add up to ${total} bytes, over the ${LIMITS.alertClipBytes}-byte limit for one alert`);
}
