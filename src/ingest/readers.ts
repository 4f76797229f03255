import { statSync } from 'node:fs';
import { UserError } from '../util/errors.ts';
import { systemClock } from '../util/time.ts';
import { bundleReader } from './bundle.ts';
import { pittsburghReader } from './pittsburgh.ts';
import { shotspotterReader } from './shotspotter.ts';
import type { AlertReader, IncomingAlert, ReadOptions } from './types.ts';

/** Every input kind of FORMATS.md, tried in order. */
export const READERS: readonly AlertReader[] = [bundleReader, shotspotterReader, pittsburghReader];

/** The reader for a folder, or null when it is none of the input kinds (cheap; never throws). */
export function readerFor(dir: string): AlertReader | null {
  return READERS.find((r) => r.detect(dir)) ?? null;
}

/**
 * Tells which kind a folder is and reads it, or says clearly why it is none of them. Times more
 * than a day after `o.nowUs` are refused (the core passes its clock; tools default to the system's).
 */
export function readAlertFolder(dir: string, o: ReadOptions = { nowUs: systemClock.nowUs() }): IncomingAlert {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new UserError('bad_file', `${dir} does not exist`);
  }
  if (!st.isDirectory())
    throw new UserError(
      'bad_file',
      `${dir} is not a folder (an alert is a folder: a bundle with alert.json, sensor WAVs with smj chunks, or a research test folder)`,
    );
  const reader = readerFor(dir);
  if (!reader) {
    throw new UserError('bad_file', `${dir} is not an alert: no alert.json, no WAV with an smj chunk, no test_NNN.audio.*.json sidecar`);
  }
  return reader.read(dir, o);
}
