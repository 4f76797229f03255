import { randomUUID } from 'node:crypto';
import { nulTextPath } from '../util/nul-text.ts';
import { mkdirSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import {
  events as eventSpecs,
  fail,
  isMethodName,
  methods,
  ok,
  ROLES,
  type EventName,
  type EventPayload,
  type MethodName,
  type Result,
} from '../contract/index.ts';
import { admitCall, mayReceiveEvents, stillAdmitted } from '../accounts/guard.ts';
import { seatHandlers } from '../accounts/handlers.ts';
import { seatAdminHandlers } from '../accounts/seats-admin.ts';
import { signOutSeat } from '../accounts/seat.ts';
import { SeatFacts } from '../accounts/seat-facts.ts';
import { auditFileHandlers } from '../audit/file-handlers.ts';
import { auditHandlers } from '../audit/handlers.ts';
import { qaHandlers } from '../audit/qa/handlers.ts';
import { admitSealed, eventAlert, sealAnswer, sealEvent } from '../audit/qa/seal-rules.ts';
import { SealedAlerts } from '../audit/qa/sealed-alerts.ts';
import { portSealAccess, type SealAccess } from '../audit/qa/seal-access.ts';
import { heldElsewhere, seatsGoneElsewhere, takeOverSeat, vouchForSeats, VOUCH_US } from '../accounts/resume.ts';
import { datasetHandlers } from '../dataset/handlers.ts';
import { FileTransfers } from '../files/transfers.ts';
import type { TransferLimits } from '../files/limits.ts';
import { ingestHandlers } from '../ingest/handlers.ts';
import { uploadImportHandlers } from '../ingest/upload-handlers.ts';
import { intakeKeyHandlers } from '../ingest/intake-keys.ts';
import { mapHandlers } from '../maps/handlers.ts';
import { MapService } from '../maps/service.ts';
import type { FetchLike } from '../maps/url-tiles.ts';
import { outcomeHandlers } from '../outcomes/handlers.ts';
import { publishHandlers } from '../publish/handlers.ts';
import { alertHandlers } from '../review/alert-handlers.ts';
import { reviewHandlers } from '../review/decide.ts';
import { relocateHandlers } from '../review/relocate.ts';
import { queueHandlers } from '../review/queue-handlers.ts';
import { supervisionHandlers } from '../review/supervision.ts';
import { undoHandlers } from '../review/undo.ts';
import type { CommittedEvent, Store as StorePort } from '../kernel/store-port.ts';
import { ClipStore } from '../store/clip-store.ts';
import { Store } from '../store/store.ts';
import { isUserError } from '../util/errors.ts';
import { systemClock, type Clock } from '../util/time.ts';
import type { DesktopBridge } from '../kernel/desktop-bridge.ts';
import { desktopHandlers } from './desktop.ts';
import { EventBus } from '../kernel/events.ts';
import type { HandlerMap } from '../kernel/handlers.ts';
import { dataPaths } from '../kernel/paths.ts';
import type { CoreConfig, CoreServices } from '../kernel/services.ts';
import { SeatRegistry } from '../kernel/seats.ts';
import { newSession, type Actor, type Session } from '../kernel/session.ts';
import { systemHandlers } from './system-handlers.ts';
import { log } from '../util/log.ts';

export interface CoreOptions {
  dataDir: string;
  clock?: Clock;
  defaultTemperatureC?: number;
  /** How tiles are fetched from a tile server; Electron passes net.fetch so the system's proxy settings apply. */
  tileFetch?: FetchLike;
  /** Upload sizes and how long uploads, downloads and grants are kept (tests make them small). */
  transferLimits?: Partial<TransferLimits>;
  /**
   * The store port the converted domains use (today the queue: claims), which the core then owns
   * and closes. Default: the port over the data folder's SQLite connection. Until every service
   * uses the port, a port on another database (PostgreSQL) serves only those domains: tests of
   * several processes sharing one queue use it; `serve` does not offer it yet.
   */
  storePort?: StorePort;
}

/** Something the core runs in the background (demo network, inbox watcher, delivery worker). */
export interface Worker {
  stop(): void | Promise<void>;
}

const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Who the `earwitness` command acts as: the local administrator, named `cli:<OS user>` (no account
 * name can contain a colon). Whoever can run the CLI on the data folder can read every file in it,
 * so it gets every role and needs no sign-in; seats on the transports always sign in.
 */
export function cliActor(): Actor {
  let name = 'unknown';
  try {
    name = userInfo().username || name;
  } catch {
    /* some containers have no passwd entry */
  }
  return { name: `cli:${name}`, roles: [...ROLES] };
}

/**
 * The core: store, clip store, clock, events and the contract's handlers. Transports hold one
 * Core and call `dispatch` with their session; nothing here knows which transport it is.
 */
export class Core implements CoreServices {
  readonly version = VERSION;
  /** This run's id: the store names it as the holder of the centre seats opened or taken over here. */
  readonly runId = randomUUID();
  readonly config: CoreConfig;
  /**
   * The synchronous SQLite store of the data folder, opened on first use: the embedded default's
   * port runs over its connection; on a centre's PostgreSQL nothing of the core uses it, so the data
   * folder gets no database file (tests still reach into it on SQLite).
   */
  get store(): Store {
    return (this.syncStore ??= Store.open(this.paths.database));
  }
  private syncStore: Store | null = null;
  private readonly paths: ReturnType<typeof dataPaths>;
  /** The asynchronous port over the same connection; what its writes announce reaches `events` after commit. */
  readonly storePort: StorePort;
  readonly clips: ClipStore;
  readonly clock: Clock;
  /** Raw core events, for parts of the core; transports send each seat what `eventFor` allows. */
  readonly events = new EventBus();
  /** The seats transports have open (an administrator's list of who is signed in where). */
  readonly seats = new SeatRegistry();
  /** Accounts and seat settings as admission and live events need them, in memory (seat-facts.ts). */
  readonly seatFacts: SeatFacts;
  /** The sealed alerts as live events need them, in memory (sealed-alerts.ts). */
  readonly sealedAlerts: SealedAlerts;
  /** Committed events on their way to `events`, in order (another server's wait for a read of the seal). */
  private forwarding: Promise<void> = Promise.resolve();
  private forwardsPending = 0;
  private readonly handlers: HandlerMap;
  private readonly workers: Worker[] = [];
  /** The base map layer (MBTiles file, tile server or plain). */
  readonly maps: MapService;
  readonly files: FileTransfers;
  /** Native dialogs, when a desktop shell attached them (see attachDesktop). */
  private desktop: DesktopBridge | null = null;
  demoRunning = false;
  /** Core clock when this server last vouched for its centre seats (dropSeatsGoneElsewhere). */
  private vouchedUs = 0;
  /** What the QA seal reads: the port's database. */
  private readonly sealAccess: SealAccess;

  constructor(options: CoreOptions) {
    this.config = { dataDir: options.dataDir, defaultTemperatureC: options.defaultTemperatureC ?? 15 };
    mkdirSync(options.dataDir, { recursive: true });
    const paths = (this.paths = dataPaths(options.dataDir));
    this.storePort = options.storePort ?? this.store.port();
    this.sealedAlerts = new SealedAlerts(this.storePort).start();
    this.storePort.onCommitted((committed) => this.forward(committed));
    this.clips = new ClipStore(paths.clips);
    this.clock = options.clock ?? systemClock;
    this.seatFacts = new SeatFacts(this.storePort, this.clock);
    this.sealAccess = portSealAccess(this.storePort, this.sealedAlerts);
    // Settings changed on another server of the database reach admission here as its write commits.
    this.events.subscribe((event, payload) => {
      if (event === 'seatSettingsChanged') this.seatFacts.rememberSettings((payload as EventPayload<'seatSettingsChanged'>).settings);
    });
    this.files = new FileTransfers(options.dataDir, this.clock, options.transferLimits);
    this.maps = new MapService({ storePort: this.storePort, clock: this.clock }, options.tileFetch);
    this.handlers = {
      ...systemHandlers(this),
      ...alertHandlers,
      ...reviewHandlers,
      ...relocateHandlers,
      ...ingestHandlers,
      ...uploadImportHandlers,
      ...intakeKeyHandlers,
      ...mapHandlers(this.maps),
      ...desktopHandlers(() => this.desktop),
      ...publishHandlers,
      ...auditHandlers,
      ...auditFileHandlers(() => this.desktop),
      ...qaHandlers,
      ...datasetHandlers,
      ...seatHandlers,
      ...seatAdminHandlers,
      ...queueHandlers,
      ...supervisionHandlers,
      ...undoHandlers,
      ...outcomeHandlers(() => this.desktop),
    };
  }

  /** The Electron shell gives the core its native dialogs; the loopback host has none. */
  attachDesktop(bridge: DesktopBridge): void {
    this.desktop = bridge;
  }

  /**
   * A new seat for a transport (a window, a browser tab): nobody is signed in on it yet. The CLI's
   * session ('cli') is the local administrator instead (see cliActor).
   */
  openSession(transport: Session['transport'], address: string | null = null, browserSha256: string | null = null): Session {
    if (transport === 'cli') return this.cliSession();
    const seat = newSession(transport, null, { address, openedUs: this.clock.nowUs(), browserSha256 });
    this.seats.add(seat);
    return seat;
  }

  /**
   * The centre seat `sessionId`, taken over from the server that held it (which died, or the
   * centre's load balancer moved the browser): see src/accounts/resume.ts. Null when the store
   * holds no such signed-in seat for this browser key.
   */
  takeOverSeat(sessionId: string, browserKey: string, address: string | null): Promise<Session | null> {
    return takeOverSeat(this, sessionId, browserKey, address);
  }

  /**
   * Drops this server's copy of centre seats another server now holds, or that were signed out
   * there (see seatsGoneElsewhere): no sign-out, no claim released; the seat is theirs.
   * Returns the seats dropped, for the transport to close their sockets.
   */
  async dropSeatsGoneElsewhere(sessions: readonly Session[]): Promise<Session[]> {
    if (this.clock.nowUs() - this.vouchedUs >= VOUCH_US) {
      this.vouchedUs = this.clock.nowUs();
      await vouchForSeats(this);
    }
    const gone = await seatsGoneElsewhere(this, sessions);
    for (const s of gone) {
      s.actor = null;
      s.accountId = null;
      this.seats.remove(s);
      this.files.forgetSession(s.id);
    }
    return gone;
  }

  /** The session the CLI and scripts on this machine act as (see cliActor). */
  cliSession(): Session {
    return newSession('cli', cliActor());
  }

  /**
   * A transport's seat is gone (its window closed): whoever was signed in on it is signed out, its
   * claim released. The seat is cleared at once; the write that logs it follows, and a failure is logged.
   */
  async closeSession(session: Session): Promise<void> {
    this.seats.remove(session);
    this.files.forgetSession(session.id);
    try {
      // A centre seat another server took over lives on there: forgotten here, its person still signed in.
      if (await heldElsewhere(this, session)) return;
      await signOutSeat(this, session, 'closed');
    } catch (err) {
      log.error({ err, seat: session.tag }, 'signing out a closed seat failed');
    }
  }

  /**
   * Whether a transport may take files from this seat (an upload): someone signed in, unlocked and
   * not idle past the lock time, as for any method; it counts as the person's activity.
   */
  async admitTransfer(session: Session): Promise<Result<null>> {
    const refused = await admitCall(this, session, {});
    if (refused) return fail(refused.code, refused.message, refused.details);
    return session.actor ? ok(null) : fail('unauthenticated', 'sign in first');
  }

  /** Whether a transport should send live events to this seat (signed in, unlocked). */
  mayReceiveEvents(session: Session): boolean {
    return mayReceiveEvents(this, session);
  }

  /**
   * What a transport sends one seat of an event, or null: nothing to a locked or signed-out
   * seat, and the QA seal applied per seat (a sealed decision reaches only its decider).
   */
  eventFor<E extends EventName>(session: Session, event: E, payload: EventPayload<E>): EventPayload<E> | null {
    if (!session.actor || !this.mayReceiveEvents(session)) return null;
    return sealEvent(this.sealedAlerts, session.actor, eventSpecs[event].seal, payload);
  }

  addWorker(w: Worker): void {
    this.workers.push(w);
  }

  /**
   * The one entry point of every transport: checks the method exists, the session may call it,
   * and the arguments fit the schema; runs the handler; checks the output; maps errors to results.
   */
  async dispatch(session: Session, method: string, rawInput: unknown): Promise<Result<unknown>> {
    if (!isMethodName(method)) return fail('not_found', `no method ${JSON.stringify(String(method).slice(0, 60))}`);
    const spec = methods[method];
    // Paths on this machine come only from its own command line: refused to every seat before anything is read or run.
    if ('local' in spec && spec.local && session.transport !== 'cli') {
      const instead =
        'seatVariant' in spec && spec.seatVariant ? `; a seat uses ${spec.seatVariant}, with uploads, downloads or the desktop app's dialogs` : '';
      return fail('forbidden', `${method} names files on the core's machine: only its command line may call it${instead}`);
    }
    // Admission reads through the port (SeatFacts keeps it to memory on most calls).
    let refused;
    try {
      refused = await admitCall(this, session, spec);
    } catch (e) {
      // The store could not be read (a lost PostgreSQL connection): an answer, as for any failing method, not a rejection.
      log.error({ method, err: e }, 'the seat check failed');
      return fail('internal', `${method} failed unexpectedly; see the log`);
    }
    if (refused) return fail(refused.code, refused.message, refused.details);
    const roles = 'roles' in spec ? spec.roles : undefined;
    if (roles && !roles.some((r) => session.actor?.roles.includes(r))) {
      return fail('forbidden', `${method} needs the role ${roles.join(' or ')}`);
    }
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message }));
      return fail('invalid_input', `invalid arguments for ${method}: ${issues.map((i) => `${i.path || '(input)'} ${i.message}`).join('; ')}`, issues);
    }
    const nul = nulTextPath(parsed.data);
    if (nul !== null)
      return fail('invalid_input', `invalid arguments for ${method}: ${nul} holds a NUL character (U+0000), which no text may`, [
        { path: nul, message: 'NUL character' },
      ]);
    return this.run(session, method, spec, parsed.data);
  }

  private async run(session: Session, method: MethodName, spec: (typeof methods)[MethodName], input: unknown): Promise<Result<unknown>> {
    const lapsed = stillAdmitted(session, spec);
    if (lapsed) return fail(lapsed.code, lapsed.message, lapsed.details);
    try {
      const handler = this.handlers[method] as (ctx: unknown, args: unknown) => unknown;
      const access = this.sealAccess;
      // The QA seal, by the rule the method declares: refusals before the handler, listings after.
      const { blind } = await admitSealed({ session, core: this }, access, method, spec, input);
      const ctx = { session, core: this, blind };
      const value = await sealAnswer(ctx, access, method, spec, await handler(ctx, input));
      const checked = spec.output.safeParse(value);
      if (!checked.success) {
        log.error({ method, issues: checked.error.issues.slice(0, 3) }, "a method's output does not fit its schema");
        return fail('internal', `${method} produced an invalid result; see the log`);
      }
      return ok(checked.data);
    } catch (e) {
      if (isUserError(e)) return fail(e.code, e.message, e.details);
      log.error({ method, err: e }, 'a method failed');
      return fail('internal', `${method} failed unexpectedly; see the log`);
    }
  }

  /** Typed convenience for the CLI and tests: dispatch and unwrap, throwing on an error result. */
  async call<M extends MethodName>(session: Session, method: M, input: unknown): Promise<import('../contract/index.ts').MethodOutput<M>> {
    const r = await this.dispatch(session, method, input);
    if (!r.ok) throw Object.assign(new Error(`${method}: ${r.error.message}`), { code: r.error.code });
    return r.value as import('../contract/index.ts').MethodOutput<M>;
  }

  /**
   * Passes committed events to `events`. This core's own writes told the sealed-alert record what
   * they sealed before committing, so their events go at once; events another server committed
   * wait for a read of the alerts they name (sealed-alerts.ts), so no seat here gets a decision
   * sealed there. Order is kept: events behind a waiting batch wait too.
   */
  private forward(committed: readonly CommittedEvent[]): void {
    const remote = committed.flatMap((e) => (e.local ? [] : [eventAlert(eventSpecs[e.event].seal, e.payload)])).filter((id): id is number => id !== null);
    const emit = (): void => {
      for (const e of committed) this.events.emit(e.event, e.payload as never);
    };
    if (remote.length === 0 && this.forwardsPending === 0) return emit();
    this.forwardsPending++;
    this.forwarding = this.forwarding
      .then(() => this.sealedAlerts.readAlerts(remote))
      .then(emit)
      .catch((err: unknown) => log.error({ err }, 'passing on committed events failed'))
      .finally(() => this.forwardsPending--);
  }

  async close(): Promise<void> {
    for (const w of this.workers.splice(0).reverse()) await w.stop();
    this.files.close();
    this.maps.stop();
    await this.sealedAlerts.stop();
    await this.forwarding;
    await this.storePort.close();
    this.syncStore?.close();
  }
}

export function openCore(options: CoreOptions): Core {
  return new Core(options);
}
