import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How an agency's CAD signs an outcome callback (docs/outcomes/README.md): HMAC-SHA256 keyed with
 * the agency's outcome key, over a context line, the Unix timestamp in seconds, a dot and the
 * exact body bytes. The context line keeps a signature made for one purpose from passing for
 * another: nothing we sign (deliveries) and nothing signed for us can be reflected as the other.
 */
export const OUTCOME_HEADERS = { key: 'x-earwitness-key', timestamp: 'x-earwitness-timestamp', signature: 'x-earwitness-signature' } as const;
export const OUTCOME_CONTEXT = 'earwitness-outcome/1';
/** A callback's timestamp may be this far from our clock, either way. */
export const CALLBACK_WINDOW_S = 300;

export function outcomeSignature(secret: string, timestampS: number | string, body: string | Uint8Array): string {
  return `v1=${createHmac('sha256', secret).update(`${OUTCOME_CONTEXT}\n${timestampS}.`).update(body).digest('hex')}`;
}

/** Compares a presented signature with the expected one in constant time. */
export function signatureMatches(presented: string, expected: string): boolean {
  const a = Buffer.from(presented.toLowerCase());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What a callback is remembered by, against replays: the hash of its (valid, unique) signature. */
export const signatureDigest = (signature: string): string => createHash('sha256').update(signature.toLowerCase()).digest('hex');
