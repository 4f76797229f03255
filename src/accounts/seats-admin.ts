import type { OpenSeat } from '../contract/index.ts';
import type { Handlers } from '../kernel/handlers.ts';
import type { AccountRecord, SeatSessionRow } from '../kernel/store-port.ts';
import { UserError } from '../util/errors.ts';
import { endSeatElsewhere, STALE_SEAT_US } from './resume.ts';
import { signOutSeat } from './seat.ts';

/**
 * An administrator's view of the seats signed in, and ending one: at a centre, a seat left signed
 * in on a machine in another room (or a session taken from someone) must be closable from the
 * admin's desk, with the audit log saying who ended it. The list holds this server's open seats
 * and the centre seats other servers of the database hold (the store keeps those while someone is
 * signed in: resume.ts); ending one there signs it out in the store, and its server drops it
 * within seconds.
 */
export const seatAdminHandlers: Handlers<'listSeats' | 'endSeat'> = {
  listSeats: async ({ core, session }) => {
    const open = core.seats.list().filter((s): s is typeof s & { transport: OpenSeat['transport'] } => s.transport !== 'cli');
    const { accounts, elsewhere } = await core.storePort.read(async (tx) => {
      // Another server's seats, while it vouches for them (a dead server's seats wait for a take-over, unlisted).
      const since = core.clock.nowUs() - STALE_SEAT_US;
      const others = (await tx.seatSessions.list()).filter((r) => r.server !== core.runId && r.updatedUs >= since);
      const ids = new Set([...open.flatMap((s) => (s.accountId !== null ? [s.accountId] : [])), ...others.map((r) => r.accountId)]);
      const byId = new Map<number, AccountRecord | undefined>();
      for (const id of ids) byId.set(id, await tx.accounts.byId(id));
      return { accounts: byId, elsewhere: others };
    });
    const here = new Set(open.map((s) => s.tag));
    const person = (accountId: number | null) => {
      const account = accountId !== null ? accounts.get(accountId) : undefined;
      return account ? { name: account.name, displayName: account.displayName } : null;
    };
    const seats: OpenSeat[] = [
      ...open.map((s) => ({
        seat: s.tag,
        transport: s.transport,
        address: s.address,
        openedUs: s.openedUs,
        person: s.actor ? person(s.accountId) : null,
        locked: s.locked,
        lastActivityUs: s.lastActivityUs > 0 ? s.lastActivityUs : null,
        yours: s === session,
      })),
      ...elsewhere
        .filter((r) => !here.has(r.tag))
        .map((r: SeatSessionRow) => ({
          seat: r.tag,
          transport: 'network' as const,
          address: r.address,
          openedUs: r.openedUs,
          person: person(r.accountId),
          locked: r.locked,
          lastActivityUs: r.lastActivityUs,
          yours: false,
          elsewhere: true,
        })),
    ].sort((a, b) => a.openedUs - b.openedUs);
    return { seats };
  },

  endSeat: async ({ core, session }, { seat }) => {
    const target = core.seats.byTag(seat);
    if (target === session) throw new UserError('conflict', 'this is your own seat: sign out instead');
    if (target?.actor) {
      await signOutSeat(core, target, 'ended', session.actor?.name);
      return { ended: true };
    }
    if (await endSeatElsewhere(core, seat, session.actor?.name ?? 'admin')) return { ended: true };
    if (!target) throw new UserError('not_found', 'no such seat is open (it may have closed already)');
    return { ended: false };
  },
};
