import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashes: scrypt (node:crypto, RFC 7914) with a random 16-byte salt per password and
 * the cost stored beside the hash, so the cost can rise later without breaking old hashes.
 * N = 2^15, r = 8, p = 1 takes 32 MiB and roughly 50-100 ms per guess on a desktop CPU (OWASP's
 * 2023 floor is N = 2^17 with r = 8 and p = 1 for 128 MiB; 2^15 keeps sign-in snappy on the
 * review workstations while a leaked store still costs an attacker ~0.1 s per guess per core).
 * Format: `scrypt$<log2 N>$<r>$<p>$<salt base64>$<key base64>`.
 */
export const SCRYPT_COST = { log2N: 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, log2N: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** log2N;
  // scrypt needs 128 * N * r bytes; allow twice that so Node's default cap (32 MiB) is not hit exactly.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string, cost = SCRYPT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost.log2N, cost.r, cost.p);
  return ['scrypt', cost.log2N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

const FORMAT = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9+/=]{16,64})\$([A-Za-z0-9+/=]{32,128})$/;

/** True when the password matches the stored hash; compares in constant time. A malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = FORMAT.exec(stored);
  if (!m) return false;
  const [, log2N, r, p, salt, key] = m as unknown as [string, string, string, string, string, string];
  // Refuse absurd costs written into a tampered store rather than freezing the core.
  if (+log2N < 10 || +log2N > 20 || +r < 1 || +r > 32 || +p < 1 || +p > 8) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), +log2N, +r, +p);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * A hash of nothing anyone knows, checked when a sign-in names no account, so an unknown name
 * takes as long to refuse as a wrong password and the timing tells no one which names exist.
 */
let decoy: Promise<string> | null = null;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword(randomBytes(24).toString('base64')));
