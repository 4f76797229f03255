/**
 * Failed sign-ins (and unlocks) counted per address, on a centre server: the store's throttle
 * holds per name, which does not stop one machine trying one password against every name. Past
 * the limit, that address is told to wait (429 with Retry-After) before the password is checked.
 */
export const SIGNIN_FAILURES_PER_ADDRESS = 20;
export const SIGNIN_WINDOW_MS = 10 * 60_000;

export class SignInLimit {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly nowMs: () => number = Date.now) {}

  /** Seconds this address must wait before trying again, or 0. */
  waitS(address: string): number {
    const now = this.nowMs();
    const recent = (this.failures.get(address) ?? []).filter((t) => now - t < SIGNIN_WINDOW_MS);
    if (recent.length === 0) this.failures.delete(address);
    else this.failures.set(address, recent);
    if (recent.length < SIGNIN_FAILURES_PER_ADDRESS) return 0;
    return Math.ceil((recent[recent.length - SIGNIN_FAILURES_PER_ADDRESS]! + SIGNIN_WINDOW_MS - now) / 1000);
  }

  failed(address: string): void {
    const list = this.failures.get(address) ?? [];
    list.push(this.nowMs());
    this.failures.set(address, list);
  }
}
