import type { Store as StorePort, StoreTx } from '../../kernel/store-port.ts';
import type { Actor } from '../../kernel/session.ts';
import { log } from '../../util/log.ts';
import type { SealStanding } from './seal.ts';

/** How often the record is read again whole: how late a seal made behind this core (another process on the file) reaches its events. */
export const SEALED_REREAD_MS = 1000;
/** How long a note outlives the reads after it: longer than any write takes from noting to COMMIT. */
const NOTE_GRACE_MS = 10_000;

interface Seal {
  /** Who made, revised or undid a decision on the alert. */
  deciders: Set<string>;
  /** Overseers who opened the seal deliberately (recorded). */
  viewers: Set<string>;
}

/**
 * The sealed alerts as live events need them, in memory: `sealEvent` runs for every seat and every
 * event, synchronously, so it cannot read the database each time (nor, on a centre, the
 * synchronous store, which is not where the decisions are). Kept current three ways:
 *
 * - the writes of this core that seal, or add a decider or a viewer, say so here before their events
 *   go out (`sealing` inside decide's write, before COMMIT: a write that then fails leaves an alert
 *   sealed that is not, which hides more, never less, for NOTE_GRACE_MS);
 * - events another server committed name their alerts, and the core reads those alerts again here
 *   before it passes the events on (`readAlerts`);
 * - the whole record is read again every SEALED_REREAD_MS, for what nothing announced (the command
 *   line on the same file, a write that failed after noting).
 */
export class SealedAlerts {
  private seals = new Map<number, Seal>();
  /**
   * The notes of the last NOTE_GRACE_MS, applied again over what a whole read found: a read's
   * snapshot may predate a note made before the read began (a decide noted its seal, the timer's
   * read began, then the decide committed), and replacing the record with it would drop the seal
   * just as the decision's events go out.
   */
  private recentNotes: { atMs: number; change: () => void }[] = [];
  private reading: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly port: StorePort) {}

  /** Reads the record now and then every SEALED_REREAD_MS (the timer does not keep the process alive). */
  start(everyMs = SEALED_REREAD_MS): this {
    void this.reread();
    this.timer = setInterval(() => void this.reread(), everyMs);
    this.timer.unref();
    return this;
  }

  /** Stops re-reading and waits for a read under way (before the port closes). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.reading?.catch(() => undefined);
  }

  /** Every sealed alert again, in one read transaction. A failed read (a lost connection) keeps what is held. */
  reread(): Promise<void> {
    return (this.reading ??= this.readUnder(false, async (tx) => {
      const next = new Map<number, Seal>();
      for (const id of await tx.qa.sealedAlertIds()) next.set(id, await sealOf(tx, id));
      return () => {
        this.seals = next;
      };
    }).finally(() => {
      this.reading = null;
    }));
  }

  /** The named alerts again (what another server's events are about), before those events go on. */
  readAlerts(alertIds: readonly number[]): Promise<void> {
    if (alertIds.length === 0) return Promise.resolve();
    // Applied as a note: a whole read under way from an older snapshot must not undo it.
    return this.readUnder(true, async (tx) => {
      const read = new Map<number, Seal | null>();
      for (const id of new Set(alertIds)) read.set(id, (await tx.qa.sample(id))?.state === 'open' ? await sealOf(tx, id) : null);
      return () => {
        for (const [id, seal] of read) {
          if (seal) this.seals.set(id, seal);
          else this.seals.delete(id);
        }
      };
    });
  }

  private async readUnder(asNote: boolean, read: (tx: StoreTx) => Promise<() => void>): Promise<void> {
    try {
      const apply = await this.port.read(read);
      if (asNote) return this.note(apply);
      apply();
      const since = performance.now() - NOTE_GRACE_MS;
      this.recentNotes = this.recentNotes.filter((n) => n.atMs >= since);
      for (const n of this.recentNotes) n.change();
    } catch (err) {
      log.warn({ err }, 'the sealed alerts could not be read again; keeping what is held');
    }
  }

  private note(change: () => void): void {
    change();
    this.recentNotes.push({ atMs: performance.now(), change });
  }

  /** A write is sealing the alert (a QA draw selected it), or adding a decider to a sealed one: said before it commits. */
  sealing(alertId: number, deciders: Iterable<string>): void {
    const ds = [...deciders];
    this.note(() => {
      const seal = this.seals.get(alertId) ?? { deciders: new Set<string>(), viewers: new Set<string>() };
      for (const d of ds) seal.deciders.add(d);
      this.seals.set(alertId, seal);
    });
  }

  /** Someone made, revised or undid a decision on the alert: if it is sealed, they see it whole from now on. */
  decided(alertId: number, actor: string): void {
    this.note(() => this.seals.get(alertId)?.deciders.add(actor));
  }

  /** An overseer's look at a sealed decision was recorded. */
  opened(alertId: number, actor: string): void {
    this.note(() => this.seals.get(alertId)?.viewers.add(actor));
  }

  /** The blind review is in: the alert is sealed no more. */
  unsealed(alertId: number): void {
    this.note(() => this.seals.delete(alertId));
  }

  isSealed(alertId: number): boolean {
    return this.seals.has(alertId);
  }

  /** sealStanding (seal.ts) from what is held. */
  standing(actor: Actor, alertId: number): SealStanding {
    const seal = this.seals.get(alertId);
    if (!seal) return 'unsealed';
    if (seal.deciders.has(actor.name)) return 'decider';
    if (actor.roles.includes('auditor') || actor.roles.includes('admin')) return 'overseer';
    return 'outsider';
  }

  /** Whether an overseer has opened the alert's seal. */
  openedBy(actor: Actor, alertId: number): boolean {
    return this.seals.get(alertId)?.viewers.has(actor.name) ?? false;
  }
}

async function sealOf(tx: StoreTx, alertId: number): Promise<Seal> {
  return { deciders: new Set(await tx.auditReads.decisionActors(alertId)), viewers: new Set(await tx.qa.sealViewers(alertId)) };
}

// Every call's context carries it (src/kernel/services.ts says why it is declared here).
declare module '../../kernel/services.ts' {
  interface CoreServices {
    /** The sealed alerts live events need, in memory: writes that seal or unseal say so here. */
    readonly sealedAlerts: SealedAlerts;
  }
}
