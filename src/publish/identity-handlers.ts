import { randomBytes } from 'node:crypto';
import type { PublishIdentity as IdentityView } from '../contract/index.ts';
import { actorName, type Handlers } from '../core/handlers.ts';
import type { Store } from '../store/store.ts';
import { UserError } from '../util/errors.ts';
import { publishIdentity, publishLifetimes, SETTING } from './identity.ts';
import { linkBase } from './link-base.ts';

// eslint-disable-next-line no-control-regex
const PRINTABLE = /^[^\u0000-\u001f\u007f]+$/;

function view(store: Store, nowUs: number): IdentityView {
  const id = store.tx(() => publishIdentity(store, nowUs));
  const base = store.settings.get<string>(SETTING.linkBaseUrl);
  const stamp = store.settings.get<{ atUs: number; by: string }>(SETTING.identityUpdated);
  return {
    ...id,
    ...publishLifetimes(store),
    linkBaseUrl: typeof base === 'string' && base ? base : null,
    linksServedAt: linkBase(store),
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
  getPublishIdentity: ({ core }) => view(core.store, core.clock.nowUs()),

  setPublishIdentity: (ctx, input) => {
    const { store, clock } = ctx.core;
    const who = actorName(ctx);
    if (input.senderName !== undefined && !PRINTABLE.test(input.senderName)) throw new UserError('invalid_input', 'the sender name is printable text');
    const base = input.linkBaseUrl === undefined ? undefined : input.linkBaseUrl === null ? null : checkBase(input.linkBaseUrl);
    const now = clock.nowUs();
    const changed = store.tx(() => {
      const before = view(store, now);
      const changed: string[] = [];
      const put = (name: string, key: string, value: unknown, was: unknown) => {
        if (value === undefined || value === was) return;
        store.settings.put(key, value, now);
        changed.push(name);
      };
      put('sender', SETTING.sender, input.sender, before.sender);
      put('senderName', SETTING.senderName, input.senderName, before.senderName);
      put('instance', SETTING.instance, input.instance, before.instance);
      put('messageLifetimeMinutes', SETTING.messageLifetimeMinutes, input.messageLifetimeMinutes, before.messageLifetimeMinutes);
      put('linkLifetimeHours', SETTING.linkLifetimeHours, input.linkLifetimeHours, before.linkLifetimeHours);
      put('linkBaseUrl', SETTING.linkBaseUrl, base === null ? '' : base, before.linkBaseUrl ?? '');
      if (input.rotateLinkKey) {
        store.settings.put(SETTING.linkKey, randomBytes(32).toString('base64url'), now);
        changed.push('linkKey');
      }
      if (changed.length === 0) return changed;
      store.settings.put(SETTING.identityUpdated, { atUs: now, by: who }, now);
      const after = view(store, now);
      const pick = (v: IdentityView) => ({
        sender: v.sender,
        senderName: v.senderName,
        instance: v.instance,
        messageLifetimeMinutes: v.messageLifetimeMinutes,
        linkLifetimeHours: v.linkLifetimeHours,
        linkBaseUrl: v.linkBaseUrl,
      });
      // Never the link key itself: only that it was rotated.
      store.audit.append({
        atUs: now,
        actor: who,
        action: 'publish.identity_set',
        entity: 'settings:publish',
        payload: { changed, before: pick(before), after: pick(after) },
      });
      return changed;
    });
    return { identity: view(store, clock.nowUs()), changed };
  },
};
