import type { ProgrammeSettings } from '../contract/index.ts';
import type { Store as StorePort, StoreTx } from '../kernel/store-port.ts';
import { UserError } from '../util/errors.ts';

const KEY = 'programme.settings';

/**
 * The public map's safe minimums: a cell of at least 250 m (a few city blocks, never a house)
 * and at least 3 incidents in a cell before it is shown. They cannot be set lower.
 */
export const LIMITS = { minCellM: 250, maxCellM: 5000, minK: 3, maxK: 100, maxLinkTtlHours: 24 * 30 } as const;
export const MIN_LINK_TTL_HOURS = 0.25;

type Stored = Omit<ProgrammeSettings, 'limits'>;
export const DEFAULT_PROGRAMME_SETTINGS: Stored = { yearlyCost: null, currency: 'USD', timeZone: 'UTC', cellM: 500, k: 5, linkTtlHours: 72 };

const validZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** The stored settings over the defaults; a stored value that no longer passes its check falls back to the default. */
export async function readProgrammeSettings(port: StorePort): Promise<ProgrammeSettings> {
  return port.read(readProgrammeSettingsTx);
}

/** readProgrammeSettings in the caller's transaction. */
export async function readProgrammeSettingsTx(tx: StoreTx): Promise<ProgrammeSettings> {
  return programmeSettingsOf(await tx.settings.get<Partial<Stored>>(KEY));
}

function programmeSettingsOf(stored: Partial<Stored> = {}): ProgrammeSettings {
  const merged = { ...DEFAULT_PROGRAMME_SETTINGS, ...stored };
  const problems = settingProblems(merged);
  const safe = Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, problems.has(k) ? DEFAULT_PROGRAMME_SETTINGS[k as keyof Stored] : v])) as Stored;
  return { ...safe, limits: { ...LIMITS } };
}

function settingProblems(s: Stored): Map<string, string> {
  const out = new Map<string, string>();
  if (s.yearlyCost !== null && !(Number.isFinite(s.yearlyCost) && s.yearlyCost >= 0)) out.set('yearlyCost', 'the yearly cost must be a number of 0 or more');
  if (!/^[A-Z]{3}$/.test(s.currency)) out.set('currency', 'the currency is an ISO 4217 code such as USD');
  if (!validZone(s.timeZone))
    out.set('timeZone', `unknown time zone ${JSON.stringify(String(s.timeZone).slice(0, 64))}; use an IANA name such as America/Chicago`);
  if (!Number.isInteger(s.cellM) || s.cellM < LIMITS.minCellM || s.cellM > LIMITS.maxCellM)
    out.set('cellM', `a map cell is ${LIMITS.minCellM}-${LIMITS.maxCellM} m: smaller would show where single shots were`);
  if (!Number.isInteger(s.k) || s.k < LIMITS.minK || s.k > LIMITS.maxK)
    out.set('k', `k is ${LIMITS.minK}-${LIMITS.maxK}: a cell with fewer incidents is never shown`);
  if (!(s.linkTtlHours >= MIN_LINK_TTL_HOURS && s.linkTtlHours <= LIMITS.maxLinkTtlHours))
    out.set('linkTtlHours', `an officer link lasts ${MIN_LINK_TTL_HOURS}-${LIMITS.maxLinkTtlHours} hours`);
  return out;
}

/**
 * Applies a change, refusing any value outside its limits (nothing is written then); audited with
 * from and to. One write under a lock on the setting, so two administrators' changes on two
 * servers take turns and each entry's "from" is what the other left.
 */
export async function changeProgrammeSettings(port: StorePort, change: Partial<Stored>, actor: string, atUs: number): Promise<ProgrammeSettings> {
  return port.write(async (tx) => {
    await tx.lock(`settings:${KEY}`);
    const before = await readProgrammeSettingsTx(tx);
    const { limits: _limits, ...current } = before;
    const next: Stored = { ...current, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) };
    const problems = settingProblems(next);
    for (const k of Object.keys(change)) if (problems.has(k)) throw new UserError('invalid_input', problems.get(k)!);
    const changed = (Object.keys(next) as (keyof Stored)[]).filter((k) => next[k] !== current[k]);
    if (changed.length === 0) return before;
    await tx.settings.put(KEY, next, atUs);
    await tx.audit.append({
      atUs,
      actor,
      action: 'settings.changed',
      entity: `settings:${KEY}`,
      payload: { key: KEY, from: Object.fromEntries(changed.map((k) => [k, current[k]])), to: Object.fromEntries(changed.map((k) => [k, next[k]])) },
    });
    return programmeSettingsOf(next);
  });
}
