import { randomBytes } from 'node:crypto';
import type { CoreServices } from '../kernel/services.ts';
import type { OutcomeKeyRecord } from '../kernel/store-port.ts';
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
 * Earlier keys stay valid until retired, so the agency's CAD can switch without a gap. One port
 * write under the agencies' lock, so an agency removed on another server meanwhile gets no key.
 */
export async function issueOutcomeKey(core: CoreServices, agencyId: number, actor: string) {
  const now = core.clock.nowUs();
  const keyId = `ok_${randomBytes(8).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  return core.storePort.write(async (tx) => {
    // The lock agency changes take (src/publish/agency-update.ts): a removal and this key take turns.
    await tx.lock('agencies');
    const agency = await tx.agencies.get(agencyId);
    if (!agency || agency.removedUs !== null) throw new UserError('not_found', `no agency ${agencyId}`);
    const key = await tx.outcomes.insertKey({ agencyId, keyId, secret, createdUs: now, createdBy: actor });
    await tx.audit.append({ atUs: now, actor, action: 'outcome.key_issued', entity: `agency:${agencyId}`, payload: { keyId, agencyId } });
    return { keyId, secret, agency: { id: agency.id, name: agency.name }, createdUs: key.createdUs };
  });
}

/** Retires a key: one write, so of two retirements on two servers one writes the entry and the other answers with the key as it left it. */
export async function retireOutcomeKey(core: CoreServices, keyId: string, actor: string) {
  const now = core.clock.nowUs();
  return core.storePort.write(async (tx) => {
    const k = await tx.outcomes.key(keyId);
    if (!k) throw new UserError('not_found', `no outcome key ${keyId}`);
    if (await tx.outcomes.retireKey(keyId, now, actor))
      await tx.audit.append({ atUs: now, actor, action: 'outcome.key_retired', entity: `agency:${k.agencyId}`, payload: { keyId, agencyId: k.agencyId } });
    return keyView((await tx.outcomes.key(keyId))!);
  });
}

export async function listOutcomeKeys(core: CoreServices) {
  return { keys: (await core.storePort.read((tx) => tx.outcomes.keys())).map(keyView) };
}
