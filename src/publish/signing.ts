import { createHmac } from 'node:crypto';

/**
 * How a delivery proves it comes from us (documented in docs/publish/README.md): an HMAC-SHA256,
 * keyed with the endpoint's secret, over the Unix timestamp in seconds, a dot, and the exact body
 * bytes. The timestamp lets a receiver refuse replays of old requests; the idempotency key lets
 * it drop a retry of a request it already has.
 */
export const HEADERS = {
  timestamp: 'X-Earwitness-Timestamp',
  signature: 'X-Earwitness-Signature',
  idempotencyKey: 'Idempotency-Key',
  delivery: 'X-Earwitness-Delivery',
  attempt: 'X-Earwitness-Attempt',
  message: 'X-Earwitness-Message',
} as const;

export const SIGNATURE_SCHEME = 'v1';

export function signature(secret: string, timestampS: number, body: string): string {
  return `${SIGNATURE_SCHEME}=${createHmac('sha256', secret).update(`${timestampS}.`).update(body, 'utf8').digest('hex')}`;
}

export interface SignedRequest {
  secret: string;
  body: string;
  contentType: string;
  timestampS: number;
  idempotencyKey: string;
  deliveryId: number;
  attempt: number;
  messageIdentifier: string;
  userAgent: string;
}

export function signedHeaders(r: SignedRequest): Record<string, string> {
  return {
    'Content-Type': r.contentType,
    'User-Agent': r.userAgent,
    [HEADERS.timestamp]: String(r.timestampS),
    [HEADERS.signature]: signature(r.secret, r.timestampS, r.body),
    [HEADERS.idempotencyKey]: r.idempotencyKey,
    [HEADERS.delivery]: String(r.deliveryId),
    [HEADERS.attempt]: String(r.attempt),
    [HEADERS.message]: r.messageIdentifier,
  };
}
