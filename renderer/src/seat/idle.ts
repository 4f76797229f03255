/**
 * When the person last did something on this seat (a key, the mouse, audio playing), and what
 * follows from it: whether the seat is idle past its lock time, and whether the next heartbeat
 * reports activity. Pure, so it is tested without a DOM; the clock is passed in.
 */
export class IdleClock {
  private lastInputMs: number;
  private lastReportMs: number;

  constructor(nowMs: number) {
    this.lastInputMs = nowMs;
    this.lastReportMs = nowMs;
  }

  input(nowMs: number): void {
    this.lastInputMs = Math.max(this.lastInputMs, nowMs);
  }

  idleMs(nowMs: number): number {
    return Math.max(0, nowMs - this.lastInputMs);
  }

  isIdle(nowMs: number, lockAfterS: number): boolean {
    return this.idleMs(nowMs) >= lockAfterS * 1000;
  }

  /** Whether there was input since the last report, and starts a new reporting period. */
  takeReport(nowMs: number): boolean {
    const active = this.lastInputMs > this.lastReportMs;
    this.lastReportMs = nowMs;
    return active;
  }
}

/** Heartbeats come often enough to renew the claim lease and to tell the core of activity well inside the idle time. */
export const heartbeatMs = (settings: { idleLockSeconds: number; claimLeaseSeconds: number }): number =>
  Math.max(1000, Math.min(10_000, (settings.idleLockSeconds * 1000) / 3, (settings.claimLeaseSeconds * 1000) / 3));
