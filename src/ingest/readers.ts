import { statSync } from 'node:fs';
import { UserError } from '../util/errors.ts';
import { bundleReader } from './bundle.ts';
import { pittsburghReader } from './pittsburgh.ts';
import { shotspotterReader } from './shotspotter.ts';
import type { AlertReader, IncomingAlert } from './types.ts';

/** Every input kind of FORMATS.md, tried in order. */
export const READERS: readonly AlertReader[] = [bundleReader, shotspotterReader, pittsburghReader];

/** Tells which kind a folder is and reads it, or says clearly why it is none of them. */
export function readAlertFolder(dir: string): IncomingAlert {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new UserError('bad_file', `${dir} does not exist`);
  }
  if (!st.isDirectory()) throw new UserError('bad_file', `${dir} is not a folder (an alert is a folder: a bundle with alert.json, sensor WAVs with smj chunks, or a research test folder)`);
  const reader = READERS.find((r) => r.detect(dir));
  if (!reader) {
    throw new UserError('bad_file', `${dir} is not an alert: no alert.json, no WAV with an smj chunk, no test_NNN.audio.*.json sidecar`);
  }
  return reader.read(dir);
}
