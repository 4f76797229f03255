import type { StoreTx } from '../kernel/store-port.ts';

/** The setting publish/identity.ts keeps this centre's instance tag in. */
const INSTANCE_KEY = 'publish.instance';
const KEY = /^earwitness-([0-9a-f]{12})-([1-9]\d{0,11})(?:-[1-9]\d{0,5})?$/;

/**
 * The incident an agency names: the incident key every message carried (CAP <incidents>, JSON
 * incident.key), or the identifier of any one of its messages. Null when it is not one of ours.
 * Read in the caller's transaction.
 */
export async function incidentIdFromKey(tx: StoreTx, key: string): Promise<number | null> {
  const m = KEY.exec(key);
  if (!m) return null;
  const instance = await tx.settings.get<string>(INSTANCE_KEY);
  if (instance !== m[1]) return null;
  const id = Number(m[2]);
  return (await tx.incidents.get(id)) ? id : null;
}
