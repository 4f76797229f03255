import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IntakeKey } from '../contract/index.ts';
import { actorName, type Handlers } from '../kernel/handlers.ts';
import type { CoreServices } from '../kernel/services.ts';
import type { IntakeKeyRow } from '../kernel/store-port.ts';
import { UserError } from '../util/errors.ts';
import { idProblem } from '../util/schemas.ts';

/** 32 random bytes, base64url: what a sensor network's sender holds. */
const KEY_BYTES = 32;
/** A key as a header carries it: exactly the 43 characters base64url makes of 32 bytes. */
const KEY_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const sha256Hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

const view = (r: IntakeKeyRow): IntakeKey => ({ ...r });

/** The source an intake key answered for, as the intake endpoint needs it. */
export interface IntakeIdentity {
  keyId: number;
  source: string;
}

/**
 * The source a presented key answers for, or null for a key that is malformed, unknown or
 * revoked (the caller says 401 to all three alike). The store is looked up by the key's SHA-256
 * (a one-way hash: timing of that lookup tells nothing about any key), and the stored hash is
 * then compared in constant time.
 */
export async function identifyIntakeKey(core: CoreServices, presented: string): Promise<IntakeIdentity | null> {
  if (!KEY_SHAPE.test(presented)) return null;
  const hash = sha256Hex(presented);
  const row = await core.storePort.read((tx) => tx.intakeKeys.byHash(hash));
  if (!row || !timingSafeEqual(Buffer.from(row.keySha256, 'utf8'), Buffer.from(hash, 'utf8'))) return null;
  if (row.revokedUs !== null) return null;
  return { keyId: row.id, source: row.source };
}

/** Records that a key brought an alert in (bookkeeping: relaxed durability, no audit entry). */
export async function touchIntakeKey(core: CoreServices, keyId: number): Promise<void> {
  await core.storePort.write((tx) => tx.intakeKeys.touch(keyId, core.clock.nowUs()), { durability: 'relaxed' });
}

export const intakeKeyHandlers: Handlers<'issueIntakeKey' | 'listIntakeKeys' | 'revokeIntakeKey'> = {
  issueIntakeKey: async (ctx, { source, note }) => {
    const problem = idProblem(source);
    // A key for a name no bundle can carry would never bring anything in: say so now.
    if (problem) throw new UserError('invalid_input', `a source name ${problem}`);
    const who = actorName(ctx);
    const secret = randomBytes(KEY_BYTES).toString('base64url');
    const now = ctx.core.clock.nowUs();
    const key = await ctx.core.storePort.write(async (tx) => {
      const id = await tx.intakeKeys.insert({ source, keySha256: sha256Hex(secret), note: note || null, issuedUs: now, issuedBy: who });
      await tx.audit.append({
        atUs: now,
        actor: who,
        action: 'intake.key_issued',
        entity: `intake_key:${id}`,
        payload: { id, source, note: note || null },
      });
      return (await tx.intakeKeys.byId(id))!;
    });
    return { key: view(key), secret };
  },

  listIntakeKeys: async ({ core }) => ({ keys: (await core.storePort.read((tx) => tx.intakeKeys.list())).map(view) }),

  revokeIntakeKey: async (ctx, { id }) => {
    const who = actorName(ctx);
    const now = ctx.core.clock.nowUs();
    const key = await ctx.core.storePort.write(async (tx) => {
      const before = await tx.intakeKeys.byId(id);
      if (!before) throw new UserError('not_found', `no intake key ${id}`);
      if (before.revokedUs !== null) throw new UserError('conflict', `intake key ${id} was revoked already`);
      if (!(await tx.intakeKeys.revoke(id, now, who))) throw new UserError('conflict', `intake key ${id} was revoked already`);
      await tx.audit.append({ atUs: now, actor: who, action: 'intake.key_revoked', entity: `intake_key:${id}`, payload: { id, source: before.source } });
      return (await tx.intakeKeys.byId(id))!;
    });
    return view(key);
  },
};
