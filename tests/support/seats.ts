import { join } from 'node:path';
import type { Role } from '../../src/contract/index.ts';
import type { Core } from '../../src/core/core.ts';
import type { Session } from '../../src/kernel/session.ts';
import { importFolder } from '../../src/ingest/import.ts';
import { writeSimpleBundle, type SimpleBundleOptions } from './bundles.ts';

/** The password every test person gets (long enough for the policy). */
export const TEST_PASSWORD = 'correct horse battery staple';

/** Adds a person through the CLI's local-administrator session, so no admin seat is needed. */
export async function addPerson(core: Core, name: string, roles: Role[], password = TEST_PASSWORD) {
  return core.call(core.cliSession(), 'createAccount', { name, displayName: name[0]!.toUpperCase() + name.slice(1), password, roles });
}

/** A fresh loopback seat with that person signed in. */
export async function seatOf(core: Core, name: string, password = TEST_PASSWORD): Promise<Session> {
  const session = core.openSession('loopback');
  await core.call(session, 'signIn', { name, password });
  return session;
}

/** Imports small bundles (three sensors, half a second) detected at the given times; returns their ids in that order. */
export async function importSmallAlerts(core: Core, dir: string, detectedUs: readonly number[], o: SimpleBundleOptions = {}): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, us] of detectedUs.entries()) {
    const { dir: bundle } = writeSimpleBundle(join(dir, `b${i}`), {
      id: `T-${String(i).padStart(4, '0')}`,
      sensors: 3,
      durationS: 0.5,
      sampleRate: 8000,
      ...o,
      // detectedAt is 1.5 s after the shot, which is 0.6 s after the clip start.
      startUs: us - 2_100_000,
    });
    const r = await importFolder(core, bundle, 'tester');
    if (r.status !== 'imported') throw new Error(`fixture refused: ${r.message}`);
    ids.push(r.alertId!);
  }
  return ids;
}
