import type { Clock } from '../../src/util/time.ts';

/** A clock tests move by hand: the only fake the tests use, and only for time. */
export class ManualClock implements Clock {
  constructor(private us = 1_780_000_000_000_000) {}
  nowUs(): number {
    return this.us;
  }
  advanceSeconds(s: number): void {
    this.us += Math.round(s * 1e6);
  }
  set(us: number): void {
    this.us = us;
  }
}
