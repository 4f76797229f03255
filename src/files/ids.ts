import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A handle a seat cannot guess: a prefix naming its kind and 128 random bits (22 base64url characters, as the contract's schemas expect). */
export const newHandle = (prefix: 'up' | 'dl' | 'gr'): string => `${prefix}_${randomBytes(16).toString('base64url')}`;

/** Compares two secrets in constant time (a session id against the owner of a handle). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
