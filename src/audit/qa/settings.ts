import { randomBytes } from 'node:crypto';
import type { StoreTx, WriteTx } from '../../kernel/store-port.ts';
import { sha256Hex } from '../../util/canonical.ts';

/** Audit settings live in the settings table; every change writes a settings.changed entry. */
export const SETTING = {
  sampleShare: 'audit.qaSampleShare',
  timeBudgetS: 'audit.timeBudgetS',
  samplingKey: 'audit.qaSamplingKey',
} as const;

export const DEFAULT_SAMPLE_SHARE = 0.1;
export const DEFAULT_TIME_BUDGET_S = 60;

export interface AuditSettings {
  sampleShare: number;
  timeBudgetS: number;
  /** A public fingerprint of the secret sampling key (the key itself is never returned). */
  samplingKeyId: string | null;
}

export const keyIdOf = (keyHex: string): string => sha256Hex(`earwitness-qa-key/1\n${keyHex}`).slice(0, 16);

/** The audit settings, inside the caller's transaction. */
export async function readAuditSettingsTx(tx: StoreTx): Promise<AuditSettings> {
  const key = await tx.settings.get<string>(SETTING.samplingKey);
  return {
    sampleShare: (await tx.settings.get<number>(SETTING.sampleShare)) ?? DEFAULT_SAMPLE_SHARE,
    timeBudgetS: (await tx.settings.get<number>(SETTING.timeBudgetS)) ?? DEFAULT_TIME_BUDGET_S,
    samplingKeyId: key ? keyIdOf(key) : null,
  };
}

/** Changes one setting and records from/to in the log, inside the caller's write. */
export async function changeSettingTx(tx: WriteTx, key: string, from: unknown, to: unknown, actor: string, atUs: number): Promise<void> {
  await tx.settings.put(key, to, atUs);
  await tx.audit.append({ atUs, actor, action: 'settings.changed', entity: `settings:${key}`, payload: { key, from: from ?? null, to } });
}

/**
 * The secret that keys the sampling draws, made on first use (or replaced, when an administrator
 * rotates it) inside the caller's write. Secret so nobody can tell in advance which decisions will
 * be checked; its fingerprint is logged so a silent swap shows. Made under a named lock and looked
 * for again, so two servers' first draws share one key.
 */
export async function samplingKeyTx(tx: WriteTx, actor: string, atUs: number, rotate = false): Promise<{ key: string; keyId: string }> {
  const existing = await tx.settings.get<string>(SETTING.samplingKey);
  if (existing && !rotate) return { key: existing, keyId: keyIdOf(existing) };
  await tx.lock(SETTING.samplingKey);
  const again = await tx.settings.get<string>(SETTING.samplingKey);
  if (again && !rotate) return { key: again, keyId: keyIdOf(again) };
  const key = randomBytes(32).toString('hex');
  await tx.settings.put(SETTING.samplingKey, key, atUs);
  await tx.audit.append({
    atUs,
    actor,
    action: 'settings.changed',
    entity: `settings:${SETTING.samplingKey}`,
    payload: { key: SETTING.samplingKey, from: again ? keyIdOf(again) : null, to: keyIdOf(key), note: 'key fingerprints only; the key stays secret' },
  });
  return { key, keyId: keyIdOf(key) };
}
