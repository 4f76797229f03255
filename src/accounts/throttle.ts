import type { Store as StorePort, WriteTx } from '../kernel/store-port.ts';

/** Failures allowed before a name is blocked, the first block, and the longest one. */
export const FREE_FAILURES = 5;
const FIRST_BLOCK_S = 30;
const LONGEST_BLOCK_S = 15 * 60;
const FORGET_AFTER_US = 24 * 3600 * 1_000_000;

/**
 * Brute-force protection for sign-in and unlock, per name tried. The attempt is counted before
 * the password is checked (and forgiven when it matches), so firing many guesses at once gains
 * nothing: after FREE_FAILURES the name is blocked for 30 s, doubling with each further failure
 * up to 15 min. Unknown names are counted the same way, so a block tells nobody a name exists.
 * Returns the seconds still blocked (0 when this attempt may go ahead). Runs its own write, under
 * the name's lock: attempts at once on several servers are each counted, none lost between a read
 * and a write.
 */
export function countAttempt(port: StorePort, nameKey: string, nowUs: number): Promise<number> {
  return port.write(async (tx) => {
    await tx.lock(throttleLock(nameKey));
    const t = await tx.signinThrottle.get(nameKey);
    if (t.blockedUntilUs > nowUs) return Math.ceil((t.blockedUntilUs - nowUs) / 1e6);
    const failures = t.failures + 1;
    const blockS = failures < FREE_FAILURES ? 0 : Math.min(LONGEST_BLOCK_S, FIRST_BLOCK_S * 2 ** (failures - FREE_FAILURES));
    await tx.signinThrottle.prune(nowUs - FORGET_AFTER_US);
    await tx.signinThrottle.put(nameKey, failures, nowUs, blockS ? nowUs + blockS * 1_000_000 : 0);
    return 0;
  });
}

const throttleLock = (nameKey: string): string => `signin-throttle:${nameKey}`;

/** The right password: the count starts again. Call inside the sign-in's write. */
export async function forgiveAttempts(tx: WriteTx, nameKey: string): Promise<void> {
  await tx.lock(throttleLock(nameKey));
  await tx.signinThrottle.clear(nameKey);
}

export const blockedMessage = (seconds: number): string =>
  `too many failed attempts for this name: try again in ${seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`}`;
