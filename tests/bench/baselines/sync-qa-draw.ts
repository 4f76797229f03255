import { randomBytes } from 'node:crypto';
import { qaDraw, standing } from '../../../src/audit/qa/sampling.ts';
import { DEFAULT_SAMPLE_SHARE, keyIdOf, SETTING } from '../../../src/audit/qa/settings.ts';
import type { Store } from '../../../src/store/store.ts';

/**
 * The decide bench's baseline: the QA draw as decide made it on the synchronous store, before QA
 * moved to the store port, kept as it was (settings read, the key made on first use, the sample
 * and its entry). Call inside the synchronous transaction of the decision.
 */
export function syncQaDraw(store: Store, alertId: number, actor: string, atUs: number): void {
  if (store.qa.sample(alertId)) return;
  const decision = standing(store.auditReads.decisionsOf(alertId));
  if (!decision) return;
  const sampleShare = store.settings.get<number>(SETTING.sampleShare) ?? DEFAULT_SAMPLE_SHARE;
  let key = store.settings.get<string>(SETTING.samplingKey);
  if (!key) {
    key = randomBytes(32).toString('hex');
    store.settings.put(SETTING.samplingKey, key, atUs);
    store.audit.append({
      atUs,
      actor: 'system',
      action: 'settings.changed',
      entity: `settings:${SETTING.samplingKey}`,
      payload: { key: SETTING.samplingKey, from: null, to: keyIdOf(key) },
    });
  }
  const keyId = keyIdOf(key);
  const draw = qaDraw(key, alertId);
  const selected = draw < sampleShare;
  store.qa.insertSample({
    alertId,
    draw,
    share: sampleShare,
    keyId,
    selected,
    decisionId: decision.id,
    sampledUs: atUs,
    state: selected ? 'open' : 'not_selected',
  });
  store.audit.append({
    atUs,
    actor,
    action: 'qa.sampled',
    entity: `alert:${alertId}`,
    payload: { alertId, draw, share: sampleShare, keyId, selected, decisionId: decision.id },
  });
}
