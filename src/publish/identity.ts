import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { StoreTx, WriteTx } from '../kernel/store-port.ts';
import type { Store } from '../store/store.ts';

/**
 * Who this centre is in the messages it sends, and how long what it sends stays valid: settings
 * an administrator edits (People, Publishing identity; `earwitness identity set`), audited.
 * Sender and instance are fixed at the first publish if nobody set them, so identifiers written
 * later stay unique and `references` keep naming the same sender even if the machine is renamed.
 */
export interface PublishIdentity {
  /** CAP `sender`: no whitespace, commas, < or &. */
  sender: string;
  /** CAP `senderName`. */
  senderName: string;
  /** A tag that keeps identifiers unique across databases sharing a sender. */
  instance: string;
}

export interface PublishLifetimes {
  /** CAP `expires` is a message's sent time plus this. */
  messageLifetimeMinutes: number;
  /** An audio link works for this long after its message's sent time. */
  linkLifetimeHours: number;
}

export const SETTING = {
  sender: 'publish.sender',
  senderName: 'publish.senderName',
  instance: 'publish.instance',
  messageLifetimeMinutes: 'publish.messageLifetimeMinutes',
  linkLifetimeHours: 'publish.linkLifetimeHours',
  linkBaseUrl: 'publish.linkBaseUrl',
  linkKey: 'publish.linkKey',
  identityUpdated: 'publish.identityUpdated',
} as const;

export const DEFAULT_SENDER_NAME = 'Earwitness acoustic review centre';
/**
 * Two hours: a dispatcher acts on a gunfire alert within minutes and units clear a scene within
 * the hour or two after; a CAD that hides expired information must not hide a scene still being
 * worked, and one that keeps it must not show a stale shooting all night. Each Update or Cancel
 * starts its own lifetime.
 */
export const DEFAULT_MESSAGE_LIFETIME_MINUTES = 120;
/** Three days: past the delivery worker's 24 h of retries, with two days to listen. */
export const DEFAULT_LINK_LIFETIME_HOURS = 72;

const CAP_SAFE = /^[^\s,<&]{1,200}$/;
const INSTANCE = /^[a-z0-9]{4,32}$/;

const validSender = (v: unknown): v is string => typeof v === 'string' && CAP_SAFE.test(v);
const validInstance = (v: unknown): v is string => typeof v === 'string' && INSTANCE.test(v);

/** The sender a centre nobody named gets: this machine's name, made CAP-safe. */
function defaultSender(): string {
  const host =
    hostname()
      .toLowerCase()
      .replace(/[^a-z0-9.-]/g, '-')
      .slice(0, 100) || 'localhost';
  return `earwitness@${host}`;
}

const senderNameOf = (v: unknown): string => (typeof v === 'string' && v.trim() ? v : DEFAULT_SENDER_NAME);

/** Reads (creating on first use) the identity; call inside a transaction. */
export function publishIdentity(store: Store, nowUs: number): PublishIdentity {
  let sender = store.settings.get<string>(SETTING.sender);
  if (!validSender(sender)) store.settings.put(SETTING.sender, (sender = defaultSender()), nowUs);
  let instance = store.settings.get<string>(SETTING.instance);
  if (!validInstance(instance)) store.settings.put(SETTING.instance, (instance = randomBytes(6).toString('hex')), nowUs);
  return { sender, instance, senderName: senderNameOf(store.settings.get<string>(SETTING.senderName)) };
}

/**
 * The port's publishIdentity, inside the caller's write. Making a missing sender or instance takes
 * a named lock and looks again, so two servers publishing their first incident at once agree on
 * one instance (identifiers stay unique) instead of each writing its own.
 */
export async function publishIdentityTx(tx: WriteTx, nowUs: number): Promise<PublishIdentity> {
  let sender = await tx.settings.get<string>(SETTING.sender);
  let instance = await tx.settings.get<string>(SETTING.instance);
  if (!validSender(sender) || !validInstance(instance)) {
    await tx.lock('publish.identity');
    sender = await tx.settings.get<string>(SETTING.sender);
    if (!validSender(sender)) await tx.settings.put(SETTING.sender, (sender = defaultSender()), nowUs);
    instance = await tx.settings.get<string>(SETTING.instance);
    if (!validInstance(instance)) await tx.settings.put(SETTING.instance, (instance = randomBytes(6).toString('hex')), nowUs);
  }
  return { sender, instance, senderName: senderNameOf(await tx.settings.get<string>(SETTING.senderName)) };
}

function lifetimesOf(m: number | undefined, l: number | undefined): PublishLifetimes {
  return {
    messageLifetimeMinutes: Number.isInteger(m) && m! > 0 ? m! : DEFAULT_MESSAGE_LIFETIME_MINUTES,
    linkLifetimeHours: Number.isInteger(l) && l! > 0 ? l! : DEFAULT_LINK_LIFETIME_HOURS,
  };
}

export const publishLifetimes = (store: Store): PublishLifetimes =>
  lifetimesOf(store.settings.get<number>(SETTING.messageLifetimeMinutes), store.settings.get<number>(SETTING.linkLifetimeHours));

export const publishLifetimesTx = async (tx: StoreTx): Promise<PublishLifetimes> =>
  lifetimesOf(await tx.settings.get<number>(SETTING.messageLifetimeMinutes), await tx.settings.get<number>(SETTING.linkLifetimeHours));

export const incidentKey = (id: PublishIdentity, incidentId: number): string => `earwitness-${id.instance}-${incidentId}`;
/** A message's identifier: its incident's key (fixed by the first message) and its sequence number. */
export const messageIdentifier = (key: string, seq: number): string => `${key}-${seq}`;
/** The key an incident's first message fixed (an instance changed later does not move it). */
export const keyOfFirstIdentifier = (identifier: string): string => identifier.replace(/-1$/, '');
