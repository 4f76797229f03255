import { z } from 'zod';
import { CentreOrigin } from '../../src/contract/index.ts';

/** Where the desktop app works, as kept in the data folder: its own store, or a centre's UI. */
export type StoredWorkplace = { kind: 'local' } | { kind: 'centre'; origin: string; privateCa: boolean };

export const WORKPLACE_FILE = 'workplace.json';
/** The centre's private CA, beside it (PEM), when the administrator gave one. */
export const CENTRE_CA_FILE = 'centre-ca.pem';

const Stored = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }).strict(),
  z.object({ kind: z.literal('centre'), origin: CentreOrigin, privateCa: z.boolean() }).strict(),
]);

/**
 * What workplace.json holds, checked as if a stranger wrote it (the file is in a folder others may
 * reach): anything but a valid choice is `invalid` with the reason, and the app then works on this
 * computer rather than open an address it cannot vouch for.
 */
export function parseWorkplace(text: string | null): { ok: true; workplace: StoredWorkplace } | { ok: false; reason: string } {
  if (text === null) return { ok: true, workplace: { kind: 'local' } };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: `${WORKPLACE_FILE} is not JSON` };
  }
  const r = Stored.safeParse(raw);
  if (!r.success) return { ok: false, reason: `${WORKPLACE_FILE}: ${r.error.issues.map((i) => `${i.path.join('.') || '(file)'} ${i.message}`).join('; ')}` };
  return { ok: true, workplace: r.data };
}

export const workplaceText = (w: StoredWorkplace): string => `${JSON.stringify(w, null, 2)}\n`;
