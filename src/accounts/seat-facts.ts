import type { SeatSettings } from '../contract/index.ts';
import type { AccountRecord, Store as StorePort, StoreTx } from '../kernel/store-port.ts';
import type { Clock } from '../util/time.ts';
import { readSeatSettingsTx } from './seat-settings.ts';

/**
 * How long a remembered account row or seat setting stands in for the database at admission.
 * Writes made through this core replace what it remembers at once; this bounds how late a change
 * made elsewhere (the CLI, another server on the same PostgreSQL database) reaches a seat here.
 */
export const RECHECK_AFTER_US = 1_000_000;

interface Remembered<T> {
  value: T;
  readUs: number;
}

/**
 * What admission and live events need of the store, kept in memory: the signed-in accounts' rows
 * (who, which roles, disabled or not) and the seat settings (the idle lock time). Admission runs
 * on every call and events go to every seat, so neither reads the database each time: admission
 * reads through the port when what it remembers is older than RECHECK_AFTER_US, events use what
 * is remembered. Every account or settings write of this core hands its result here after COMMIT.
 */
export class SeatFacts {
  private readonly accounts = new Map<number, Remembered<AccountRecord | undefined>>();
  private settings: Remembered<SeatSettings> | null = null;
  /** Reads under way, by account: the calls of many seats at once that find nothing fresh share one. */
  private readonly reading = new Map<number, Promise<{ account: AccountRecord | undefined; settings: SeatSettings }>>();

  constructor(
    private readonly port: StorePort,
    private readonly clock: Clock,
  ) {}

  /** The account and the seat settings for admission: remembered when fresh, else one read through the port. */
  async forAdmission(accountId: number): Promise<{ account: AccountRecord | undefined; settings: SeatSettings }> {
    const now = this.clock.nowUs();
    const account = this.accounts.get(accountId);
    const fresh = (r: Remembered<unknown> | null | undefined): r is Remembered<unknown> => !!r && now - r.readUs < RECHECK_AFTER_US && r.readUs <= now;
    if (fresh(account) && fresh(this.settings)) return { account: account.value, settings: this.settings.value };
    const under = this.reading.get(accountId);
    if (under) return under;
    const read = this.port
      .read(async (tx) => ({ account: await this.readAccount(tx, accountId), settings: await this.readSettings(tx) }))
      .finally(() => this.reading.delete(accountId));
    this.reading.set(accountId, read);
    return read;
  }

  /** Reads an account inside the caller's transaction and remembers it. */
  async readAccount(tx: StoreTx, accountId: number): Promise<AccountRecord | undefined> {
    const account = await tx.accounts.byId(accountId);
    this.rememberAccount(accountId, account);
    return account;
  }

  /** Reads the seat settings inside the caller's transaction and remembers them. */
  async readSettings(tx: StoreTx): Promise<SeatSettings> {
    const settings = await readSeatSettingsTx(tx);
    this.rememberSettings(settings);
    return settings;
  }

  /** What a committed write (or a read) found; undefined: no such account. */
  rememberAccount(accountId: number, account: AccountRecord | undefined): void {
    this.accounts.set(accountId, { value: account, readUs: this.clock.nowUs() });
  }

  rememberSettings(settings: SeatSettings): void {
    this.settings = { value: settings, readUs: this.clock.nowUs() };
  }

  /** The remembered account, however old, without reading (live events); undefined when nothing is remembered. */
  accountNow(accountId: number): AccountRecord | undefined {
    return this.accounts.get(accountId)?.value;
  }

  /** The remembered seat settings, however old; null before anything read them. */
  settingsNow(): SeatSettings | null {
    return this.settings?.value ?? null;
  }
}

// Every call's context carries it (src/kernel/services.ts says why it is declared here).
declare module '../kernel/services.ts' {
  interface CoreServices {
    /** The accounts and seat settings admission and live events need, in memory. */
    readonly seatFacts: SeatFacts;
  }
}
