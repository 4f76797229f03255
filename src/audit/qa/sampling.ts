import { createHmac } from 'node:crypto';
import type { Decision } from '../../contract/index.ts';
import type { QaSample } from '../../store/qa.ts';
import type { WriteTx } from '../../kernel/store-port.ts';
import { readAuditSettingsTx, samplingKeyTx } from './settings.ts';

/**
 * The draw of an alert: HMAC-SHA256(key, "qa-sample/1\nalert:<id>") read as a 48-bit fraction
 * in [0, 1). Deterministic (the same alert always draws the same), unbiased (HMAC output is
 * uniform), and unpredictable to anyone without the key, so no reviewer can tell which of their
 * decisions will be checked. An alert is selected when its draw is below the configured share.
 */
export function qaDraw(keyHex: string, alertId: number): number {
  const mac = createHmac('sha256', Buffer.from(keyHex, 'hex')).update(`qa-sample/1\nalert:${alertId}`).digest();
  return mac.readUIntBE(0, 6) / 2 ** 48;
}

/** The decision that stands: the newest version not undone. */
export const standing = (decisions: readonly Decision[]): Decision | null => [...decisions].reverse().find((d) => d.undoneUs === null) ?? null;

/**
 * Draws a decided alert for QA once, inside the decision's write (the alert locked first, so it is
 * drawn once), and logs the draw whether selected or not (so an auditor can check every decided
 * alert was drawn, and the share). Returns the existing sample if the alert was drawn before, null
 * when it has no standing decision.
 */
export async function sampleDecidedAlertTx(tx: WriteTx, alertId: number, actor: string, atUs: number): Promise<QaSample | null> {
  const existing = await tx.qa.sample(alertId);
  if (existing) return existing;
  const decision = standing(await tx.auditReads.decisionsOf(alertId));
  if (!decision) return null;
  const { sampleShare } = await readAuditSettingsTx(tx);
  const { key, keyId } = await samplingKeyTx(tx, 'system', atUs);
  const draw = qaDraw(key, alertId);
  const selected = draw < sampleShare;
  const sample = await tx.qa.insertSample({
    alertId,
    draw,
    share: sampleShare,
    keyId,
    selected,
    decisionId: decision.id,
    sampledUs: atUs,
    state: selected ? 'open' : 'not_selected',
  });
  await tx.audit.append({
    atUs,
    actor,
    action: 'qa.sampled',
    entity: `alert:${alertId}`,
    payload: { alertId, draw, share: sampleShare, keyId, selected, decisionId: decision.id },
  });
  return sample;
}

/**
 * Draws every decided alert not drawn yet (decisions made by paths that do not call the hook), in
 * the caller's write, each alert locked first; returns the samples drawn.
 */
export async function sweepUnsampledTx(tx: WriteTx, atUs: number): Promise<QaSample[]> {
  const drawn: QaSample[] = [];
  for (const id of await tx.qa.unsampledDecided()) {
    await tx.alerts.lock(id);
    const sample = await sampleDecidedAlertTx(tx, id, 'system', atUs);
    if (sample) drawn.push(sample);
  }
  return drawn;
}
