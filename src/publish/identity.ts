import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Store } from '../store/store.ts';

/**
 * Who this centre is in the messages it sends. Fixed at the first publish and kept in settings,
 * so `references` written later still name the same sender even if the machine is renamed.
 * `publish.sender` may be set by a centre (e.g. "dispatch@city.example"); CAP forbids spaces,
 * commas and < & in it.
 */
export interface PublishIdentity {
  sender: string;
  /** A random tag that keeps identifiers unique across databases sharing a sender. */
  instance: string;
  status: 'Actual' | 'Exercise' | 'Test';
}

const SENDER_KEY = 'publish.sender';
const INSTANCE_KEY = 'publish.instance';
const STATUS_KEY = 'publish.status';
const CAP_SAFE = /^[^\s,<&]{1,200}$/;

/** Reads (creating on first use) the identity; call inside a transaction. */
export function publishIdentity(store: Store, nowUs: number): PublishIdentity {
  let sender = store.settings.get<string>(SENDER_KEY);
  if (typeof sender !== 'string' || !CAP_SAFE.test(sender)) {
    const host = hostname().toLowerCase().replace(/[^a-z0-9.-]/g, '-').slice(0, 100) || 'localhost';
    sender = `earwitness@${host}`;
    store.settings.put(SENDER_KEY, sender, nowUs);
  }
  let instance = store.settings.get<string>(INSTANCE_KEY);
  if (typeof instance !== 'string' || !/^[0-9a-f]{12}$/.test(instance)) {
    instance = randomBytes(6).toString('hex');
    store.settings.put(INSTANCE_KEY, instance, nowUs);
  }
  const status = store.settings.get<string>(STATUS_KEY);
  return { sender, instance, status: status === 'Exercise' || status === 'Test' ? status : 'Actual' };
}

export const incidentKey = (id: PublishIdentity, incidentId: number): string => `earwitness-${id.instance}-${incidentId}`;
export const messageIdentifier = (id: PublishIdentity, incidentId: number, seq: number): string => `earwitness-${id.instance}-${incidentId}-${seq}`;
