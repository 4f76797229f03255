import type { OpenSeat } from '../contract/index.ts';
import type { Handlers } from '../kernel/handlers.ts';
import type { AccountRecord } from '../kernel/store-port.ts';
import { UserError } from '../util/errors.ts';
import { signOutSeat } from './seat.ts';

/**
 * An administrator's view of the seats open on this server, and ending one: at a centre, a seat
 * left signed in on a machine in another room (or a session taken from someone) must be closable
 * from the admin's desk, with the audit log saying who ended it.
 */
export const seatAdminHandlers: Handlers<'listSeats' | 'endSeat'> = {
  listSeats: async ({ core, session }) => {
    const open = core.seats.list().filter((s): s is typeof s & { transport: OpenSeat['transport'] } => s.transport !== 'cli');
    const ids = [...new Set(open.flatMap((s) => (s.accountId !== null ? [s.accountId] : [])))];
    const accounts = await core.storePort.read(async (tx) => {
      const byId = new Map<number, AccountRecord | undefined>();
      for (const id of ids) byId.set(id, await tx.accounts.byId(id));
      return byId;
    });
    const seats: OpenSeat[] = open
      .map((s) => {
        const account = s.accountId !== null ? accounts.get(s.accountId) : undefined;
        return {
          seat: s.tag,
          transport: s.transport,
          address: s.address,
          openedUs: s.openedUs,
          person: s.actor && account ? { name: account.name, displayName: account.displayName } : null,
          locked: s.locked,
          lastActivityUs: s.lastActivityUs > 0 ? s.lastActivityUs : null,
          yours: s === session,
        };
      })
      .sort((a, b) => a.openedUs - b.openedUs);
    return { seats };
  },

  endSeat: async ({ core, session }, { seat }) => {
    const target = core.seats.byTag(seat);
    if (!target) throw new UserError('not_found', 'no such seat is open (it may have closed already)');
    if (target === session) throw new UserError('conflict', 'this is your own seat: sign out instead');
    if (!target.actor) return { ended: false };
    await signOutSeat(core, target, 'ended', session.actor?.name);
    return { ended: true };
  },
};
