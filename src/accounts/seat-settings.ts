import { DEFAULT_PREFERENCES, DEFAULT_SEAT_SETTINGS, Preferences, SeatSettings } from '../contract/index.ts';
import type { StoreTx, WriteTx } from '../kernel/store-port.ts';

const KEY = 'seat';

/**
 * The review seat settings, inside the caller's transaction: stored under one settings key, each
 * field falling back to its default, so a store written before a field existed (or hand-edited
 * badly) still opens.
 */
export async function readSeatSettingsTx(tx: StoreTx): Promise<SeatSettings> {
  return seatSettingsOf(await tx.settings.get<Record<string, unknown>>(KEY));
}

function seatSettingsOf(stored: Record<string, unknown> | null | undefined): SeatSettings {
  stored ??= {};
  const out: Record<string, unknown> = { ...DEFAULT_SEAT_SETTINGS };
  for (const [k, field] of Object.entries(SeatSettings.shape)) {
    const parsed = field.safeParse(stored[k]);
    if (parsed.success) out[k] = parsed.data;
  }
  return out as SeatSettings;
}

/**
 * Changes the seat settings inside the caller's write; returns the settings now in force. Takes the
 * settings' lock first: a read-modify-write of one key, which two servers must not interleave.
 */
export async function writeSeatSettingsTx(tx: WriteTx, change: Partial<SeatSettings>, atUs: number): Promise<SeatSettings> {
  await tx.lock(`settings:${KEY}`);
  const next = SeatSettings.parse({ ...(await readSeatSettingsTx(tx)), ...change });
  await tx.settings.put(KEY, next, atUs);
  return next;
}

/** A person's preferences over the defaults, ignoring anything that no longer fits. */
export function effectivePreferences(stored: Partial<Preferences> | undefined): Preferences {
  const out: Record<string, unknown> = { ...DEFAULT_PREFERENCES };
  for (const [k, field] of Object.entries(Preferences.shape)) {
    const parsed = field.safeParse(stored?.[k as keyof Preferences]);
    if (parsed.success) out[k] = parsed.data;
  }
  return out as Preferences;
}
