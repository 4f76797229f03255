import { randomBytes } from 'node:crypto';
import type { CoreServices } from '../core/services.ts';
import type { OutcomeKeyRecord } from '../store/outcomes.ts';
import { UserError } from '../util/errors.ts';

export const keyView = (k: OutcomeKeyRecord) => ({
  keyId: k.keyId,
  agency: { id: k.agencyId, name: k.agencyName },
  createdUs: k.createdUs,
  createdBy: k.createdBy,
  retiredUs: k.retiredUs,
});

/**
 * A new callback key for an agency: 32 random bytes, made here so it is never weak, shown once.
 * Earlier keys stay valid until retired, so the agency's CAD can switch without a gap.
 */
export function issueOutcomeKey(core: CoreServices, agencyId: number, actor: string) {
  const agency = core.store.agencies.get(agencyId);
  if (!agency || agency.removedUs !== null) throw new UserError('not_found', `no agency ${agencyId}`);
  const now = core.clock.nowUs();
  const keyId = `ok_${randomBytes(8).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  const key = core.store.tx(() => {
    const k = core.store.outcomes.insertKey({ agencyId, keyId, secret, createdUs: now, createdBy: actor });
    core.store.audit.append({ atUs: now, actor, action: 'outcome.key_issued', entity: `agency:${agencyId}`, payload: { keyId, agencyId } });
    return k;
  });
  return { keyId, secret, agency: { id: agency.id, name: agency.name }, createdUs: key.createdUs };
}

export function retireOutcomeKey(core: CoreServices, keyId: string, actor: string) {
  const now = core.clock.nowUs();
  const k = core.store.outcomes.key(keyId);
  if (!k) throw new UserError('not_found', `no outcome key ${keyId}`);
  if (k.retiredUs !== null) return keyView(k);
  core.store.tx(() => {
    core.store.outcomes.retireKey(keyId, now, actor);
    core.store.audit.append({ atUs: now, actor, action: 'outcome.key_retired', entity: `agency:${k.agencyId}`, payload: { keyId, agencyId: k.agencyId } });
  });
  return keyView(core.store.outcomes.key(keyId)!);
}
