import { randomBytes } from 'node:crypto';
import type { PublishIdentity as IdentityView } from '../contract/index.ts';
import { actorName, type Handlers } from '../kernel/handlers.ts';
import type { WriteTx } from '../kernel/store-port.ts';
import { UserError } from '../util/errors.ts';
import { publishIdentityTx, publishLifetimesTx, SETTING } from './identity.ts';
import { linkBaseTx } from './link-base.ts';

// eslint-disable-next-line no-control-regex
const PRINTABLE = /^[^\u0000-\u001f\u007f]+$/;

/** The identity as an administrator sees it; made on first use, so even a look is a write. `port` is the store port links are served for. */
async function view(tx: WriteTx, port: object, nowUs: number): Promise<IdentityView> {
  const id = await publishIdentityTx(tx, nowUs);
  const base = await tx.settings.get<string>(SETTING.linkBaseUrl);
  const stamp = await tx.settings.get<{ atUs: number; by: string }>(SETTING.identityUpdated);
  return {
    ...id,
    ...(await publishLifetimesTx(tx)),
    linkBaseUrl: typeof base === 'string' && base ? base : null,
    linksServedAt: await linkBaseTx(tx, port),
    updatedUs: stamp?.atUs ?? null,
    updatedBy: stamp?.by ?? null,
  };
}

/** An http(s) URL agencies can reach, ending in "/": the prefix of every audio link. */
function checkBase(text: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UserError('invalid_input', `the audio-link address is not a URL: ${JSON.stringify(text.slice(0, 80))}`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new UserError('invalid_input', 'the audio-link address is an http:// or https:// URL');
  if (u.username || u.password || u.search || u.hash) throw new UserError('invalid_input', 'the audio-link address has no credentials, query or fragment');
  return u.href.endsWith('/') ? u.href : `${u.href}/`;
}

export const identityHandlers: Handlers<'getPublishIdentity' | 'setPublishIdentity'> = {
  getPublishIdentity: ({ core }) => core.storePort.write((tx) => view(tx, core.storePort, core.clock.nowUs())),

  setPublishIdentity: async (ctx, input) => {
    const { storePort, clock } = ctx.core;
    const who = actorName(ctx);
    if (input.senderName !== undefined && !PRINTABLE.test(input.senderName)) throw new UserError('invalid_input', 'the sender name is printable text');
    const base = input.linkBaseUrl === undefined ? undefined : input.linkBaseUrl === null ? null : checkBase(input.linkBaseUrl);
    return storePort.write(async (tx) => {
      // Read, compare, write: two administrators' changes take turns, each entry's "before" what the other left.
      await tx.lock('publish.identity');
      const now = clock.nowUs();
      const before = await view(tx, storePort, now);
      const changed: string[] = [];
      const put = async (name: string, key: string, value: unknown, was: unknown) => {
        if (value === undefined || value === was) return;
        await tx.settings.put(key, value, now);
        changed.push(name);
      };
      await put('sender', SETTING.sender, input.sender, before.sender);
      await put('senderName', SETTING.senderName, input.senderName, before.senderName);
      await put('instance', SETTING.instance, input.instance, before.instance);
      await put('messageLifetimeMinutes', SETTING.messageLifetimeMinutes, input.messageLifetimeMinutes, before.messageLifetimeMinutes);
      await put('linkLifetimeHours', SETTING.linkLifetimeHours, input.linkLifetimeHours, before.linkLifetimeHours);
      await put('linkBaseUrl', SETTING.linkBaseUrl, base === null ? '' : base, before.linkBaseUrl ?? '');
      if (input.rotateLinkKey) {
        await tx.settings.put(SETTING.linkKey, randomBytes(32).toString('base64url'), now);
        changed.push('linkKey');
      }
      if (changed.length === 0) return { identity: before, changed };
      await tx.settings.put(SETTING.identityUpdated, { atUs: now, by: who }, now);
      const after = await view(tx, storePort, now);
      const pick = (v: IdentityView) => ({
        sender: v.sender,
        senderName: v.senderName,
        instance: v.instance,
        messageLifetimeMinutes: v.messageLifetimeMinutes,
        linkLifetimeHours: v.linkLifetimeHours,
        linkBaseUrl: v.linkBaseUrl,
      });
      // Never the link key itself: only that it was rotated.
      await tx.audit.append({
        atUs: now,
        actor: who,
        action: 'publish.identity_set',
        entity: 'settings:publish',
        payload: { changed, before: pick(before), after: pick(after) },
      });
      return { identity: after, changed };
    });
  },
};
