import { setTimeout as sleep } from 'node:timers/promises';
import { CentreBrowser, type Answer } from './seat.ts';

/** What every simulated seat reports to the bench, in one place. */
export class Ledger {
  claimNextMs: number[] = [];
  /** Per alert: the seat holding it now (claimNext gave it, not yet decided or given up). */
  private holders = new Map<number, string>();
  doubleClaims: { alertId: number; first: string; second: string }[] = [];
  /** Alert ids whose decision the centre accepted, with who decided: twice would be a double. */
  decided = new Map<number, string[]>();
  gunfireDecided = 0;
  /** Decision sent (ms, performance.now) and on which server, per alert. */
  decisionSent = new Map<number, { atMs: number; server: string }>();
  /** First arrival of the alert's decided event at a seat, per alert and server. */
  eventAt = new Map<string, number>();
  reconnectS: number[] = [];
  /** Seats another server took over (no new sign-in), seats back on their own server (the database restarted), and seats that had to sign in again. */
  takenOver = 0;
  backOnTheirServer = 0;
  signedInAgain = 0;
  /** Claims held over a server's death (reopened on the other server), and claims lost (the lease ran out). */
  claimsKept = 0;
  claimsLost = 0;
  errors = new Map<string, number>();

  /** Alerts "next" gave to a second seat while a first still held it: its lease may have run out (its server was slow or gone). */
  private contested = new Map<number, { first: string; second: string }>();

  claimed(alertId: number, seat: string): void {
    const held = this.holders.get(alertId);
    if (held !== undefined && held !== seat) this.contested.set(alertId, { first: held, second: seat });
    this.holders.set(alertId, seat);
  }
  /**
   * The centre let `seat` act on its claim (a heartbeat answered with it, the claim reopened, a
   * decision taken). After another seat was given the alert, that is a double claim: two seats
   * that could both act on one alert.
   */
  acted(alertId: number, seat: string): void {
    const c = this.contested.get(alertId);
    if (c && c.first === seat) {
      this.doubleClaims.push({ alertId, ...c });
      this.contested.delete(alertId);
    }
  }
  let_go(alertId: number, seat: string): void {
    if (this.holders.get(alertId) === seat) this.holders.delete(alertId);
  }
  error(what: string): void {
    this.errors.set(what, (this.errors.get(what) ?? 0) + 1);
  }
}

export interface ReviewerOptions {
  name: string;
  password: string;
  /** The centre's public origin: its load balancer, which keeps this seat on one server while it lives. */
  origin: string;
  /** The loopback address this seat connects from: the balancer's stick table keys on it. */
  localAddress: string;
  /** The origin of the server the balancer has this seat on now (for the bench's figures). */
  serverOf(): string;
  ca: string;
  /** A person's time on one alert, ms. */
  think: () => number;
  /** performance.now() of the moment a server was killed (the bench sets it), by origin. */
  killedAt: Map<string, number>;
  ledger: Ledger;
  stopped: () => boolean;
}

const GUNFIRE_SHARE = 0.6;

/**
 * A reviewer at a seat: signs in, takes "next", listens and looks for a human while (heartbeats
 * keep the claim's lease), decides, again. When its server dies (the event socket ends, or a call
 * cannot reach it) the seat reconnects, as a tab does, through the balancer to the other server,
 * which takes the seat over (same seat, no new sign-in) and it carries on with the alert it held;
 * only if that fails does it sign in again.
 */
export class Reviewer {
  private browser: CentreBrowser | null = null;
  private down = false;
  private held: number | null = null;
  /** Time to open, sign in and take the first "next", ms: the baseline of reconnect_s. */
  firstStartMs = 0;
  private n = 0;

  constructor(private readonly o: ReviewerOptions) {}

  get server(): string {
    return this.o.serverOf();
  }

  /** Listens on the browser's seat; false when the event socket would not open. */
  private async listen(b: CentreBrowser): Promise<boolean> {
    try {
      await b.listen(
        (event, payload, atMs) => this.heard(event, payload, atMs),
        () => {
          this.down = true;
        },
      );
      return true;
    } catch {
      return false;
    }
  }

  private async connect(): Promise<CentreBrowser | null> {
    for (let attempt = 0; !this.o.stopped(); attempt++) {
      const b = new CentreBrowser(this.o.origin, this.o.ca, this.o.localAddress);
      const signed = await b.open(this.o.name, this.o.password);
      if (signed.ok && (await this.listen(b))) {
        this.browser = b;
        this.down = false;
        return b;
      }
      b.close();
      this.o.ledger.error(signed.ok ? 'event socket refused' : `sign-in: ${signed.code}`);
      await sleep(Math.min(2000, 100 * 2 ** Math.min(attempt, 4)));
    }
    return null;
  }

  private heard(event: string, payload: unknown, atMs: number): void {
    if (event !== 'alertChanged') return;
    const alert = (payload as { alert: { id: number; status: string } }).alert;
    if (alert.status !== 'decided') return;
    const key = `${alert.id}@${this.server}`;
    if (!this.o.ledger.eventAt.has(key)) this.o.ledger.eventAt.set(key, atMs);
  }

  /** One call; on a lost server, reconnect (elsewhere) and return null so the caller starts its step again. */
  private async call(method: string, input: unknown): Promise<Answer | null> {
    if (this.down || !this.browser) await this.reconnect();
    if (!this.browser) return null;
    const a = await this.browser.call(method, input);
    if (!a.ok && (a.transport || a.code === 'unauthenticated')) {
      this.o.ledger.error(`${method}: ${a.code}`);
      if (a.code === 'unauthenticated' || a.message.includes('ECONNREFUSED') || a.message.includes('ECONNRESET') || a.message.includes('socket hang up'))
        this.down = true;
      else await sleep(500); // the database restarting: the server stays, the call is tried again
      return null;
    }
    return a;
  }

  /** The same browser and seat, reconnected through the balancer: the server it reaches takes the seat over. */
  private async takeOver(): Promise<{ browser: CentreBrowser; beat: Answer } | null> {
    const browser = this.browser;
    if (!browser) return null;
    browser.disconnect();
    for (let attempt = 0; attempt < 5 && !this.o.stopped(); attempt++) {
      if (await this.listen(browser)) {
        const beat = await browser.call('heartbeat', { active: true, alertId: this.held });
        if (beat.ok) return { browser, beat };
        if (beat.code === 'unauthenticated') return null;
      }
      await sleep(Math.min(1000, 100 * 2 ** attempt));
    }
    return null;
  }

  private async reconnect(): Promise<void> {
    const from = this.server;
    let back = await this.takeOver();
    if (back && this.server !== from) this.o.ledger.takenOver++;
    else if (back) this.o.ledger.backOnTheirServer++;
    else {
      this.browser?.close();
      this.browser = null;
      const browser = await this.connect();
      if (!browser) return; // stopped while reconnecting
      this.o.ledger.signedInAgain++;
      // Back at work: the seat tells its (new) server what it holds, as a seat's heartbeat does.
      back = { browser, beat: await browser.call('heartbeat', { active: true, alertId: this.held }) };
    }
    this.browser = back.browser;
    this.down = false;
    const { browser, beat } = back;
    const killed = this.o.killedAt.get(from);
    if (killed !== undefined && beat.ok) this.o.ledger.reconnectS.push((performance.now() - killed) / 1000);
    if (this.held !== null && beat.ok) {
      // The alert it had open, opened again here: the lease in the database, not the socket, holds it for this person.
      const again = (beat.value as { claim: unknown }).claim ? beat : await browser.call('claimAlert', { alertId: this.held });
      if (again.ok) {
        this.o.ledger.claimsKept++;
        this.o.ledger.acted(this.held, this.o.name);
      } else {
        this.o.ledger.claimsLost++;
        this.o.ledger.let_go(this.held, this.o.name);
        this.held = null;
      }
    }
  }

  async run(): Promise<void> {
    const t0 = performance.now();
    if (!(await this.connect())) return;
    let first = true;
    while (!this.o.stopped()) {
      if (this.held === null) {
        const t = performance.now();
        const next = await this.call('claimNext', {});
        if (next === null) continue;
        if (!next.ok) {
          this.o.ledger.error(`claimNext: ${next.code}`);
          await sleep(500);
          continue;
        }
        this.o.ledger.claimNextMs.push(performance.now() - t);
        if (first) {
          this.firstStartMs = performance.now() - t0;
          first = false;
        }
        const claim = (next.value as { claim: { alertId: number } | null }).claim;
        if (!claim) {
          await sleep(500);
          continue;
        }
        this.held = claim.alertId;
        this.o.ledger.claimed(claim.alertId, this.o.name);
      }
      const alertId = this.held;
      const until = performance.now() + this.o.think();
      const opened = performance.now();
      while (performance.now() < until && !this.o.stopped()) {
        await sleep(Math.min(5000, until - performance.now()));
        if (performance.now() < until) {
          const beat = await this.call('heartbeat', { active: true, alertId });
          // The lease ran out (heartbeats that could not get through): the seat shows it lost, as a real one does.
          if (beat?.ok && this.held !== null) {
            if ((beat.value as { claim: unknown }).claim) this.o.ledger.acted(alertId, this.o.name);
            else {
              this.o.ledger.claimsLost++;
              this.o.ledger.let_go(alertId, this.o.name);
              this.held = null;
            }
          }
        }
        if (this.held === null) break; // the claim was lost
      }
      if (this.held === null || this.o.stopped()) continue;
      const gunfire = ((alertId * 2654435761) % 100) / 100 < GUNFIRE_SHARE;
      const decision = gunfire
        ? { alertId, class: 'gunfire_single', rounds: 1, reviewMs: Math.round(performance.now() - opened) }
        : { alertId, class: 'fireworks', notes: 'bench: a string of fireworks', reviewMs: Math.round(performance.now() - opened) };
      const server = this.server;
      const sent = performance.now();
      const d = await this.call('decide', decision);
      if (d === null) continue; // tried again on the server it is on now
      this.o.ledger.let_go(alertId, this.o.name);
      this.held = null;
      if (d.ok) {
        this.o.ledger.acted(alertId, this.o.name);
        this.o.ledger.decisionSent.set(alertId, { atMs: sent, server });
        this.o.ledger.decided.set(alertId, [...(this.o.ledger.decided.get(alertId) ?? []), this.o.name]);
        if (gunfire) this.o.ledger.gunfireDecided++;
        this.n++;
      } else this.o.ledger.error(`decide: ${d.code}`);
    }
  }

  get decisions(): number {
    return this.n;
  }

  close(): void {
    this.browser?.close();
  }
}
