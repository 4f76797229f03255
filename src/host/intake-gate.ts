/**
 * Back-pressure for pushed alerts: at most `concurrency` pushes received and imported at once,
 * at most `queue` more waiting (their bodies wait in the socket, unread, which slows the sender
 * down by TCP itself). Beyond that a push is turned away at once with a wait to retry after.
 */
export class IntakeGate {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  /** A running mean of how long one push holds its place, for Retry-After. */
  private meanMs = 1000;

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
  ) {}

  /**
   * A place for one push: resolves when it may run, with the function that gives the place back;
   * null when the queue is full (answer 429 with `retryAfterS()`).
   */
  enter(): Promise<() => void> | null {
    if (this.inFlight < this.concurrency) {
      this.inFlight++;
      return Promise.resolve(this.leaver());
    }
    if (this.waiting.length >= this.queue) return null;
    return new Promise((resolve) => this.waiting.push(() => resolve(this.leaver())));
  }

  /** Seconds until a place is likely free: the pushes ahead, at the mean time each took. */
  retryAfterS(): number {
    const ahead = this.waiting.length + 1;
    return Math.max(1, Math.min(60, Math.ceil((this.meanMs * ahead) / this.concurrency / 1000)));
  }

  get load(): { inFlight: number; waiting: number } {
    return { inFlight: this.inFlight, waiting: this.waiting.length };
  }

  private leaver(): () => void {
    const started = Date.now();
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.meanMs = 0.8 * this.meanMs + 0.2 * (Date.now() - started);
      const next = this.waiting.shift();
      // The place passes straight to the next in line: inFlight stays the same.
      if (next) next();
      else this.inFlight--;
    };
  }
}
