import { readSeatSettingsTx } from '../accounts/seat-settings.ts';
import type { Supervision } from '../contract/index.ts';
import type { Handlers } from '../kernel/handlers.ts';

const HOUR_US = 3_600_000_000;
/** Hours of decisions the view shows: a shift and a half. */
export const SUPERVISION_HOURS = 12;

/** The floor a supervisor watches: from the store (one read, one snapshot) and the seats the transports have open. */
export const supervisionHandlers: Handlers<'getSupervision'> = {
  getSupervision: ({ core }) =>
    core.storePort.read(async (tx): Promise<Supervision> => {
      const settings = await readSeatSettingsTx(tx);
      const nowUs = core.clock.nowUs();
      const budgetUs = settings.deadlineSeconds * 1_000_000;
      const queue = await tx.supervision.queueNow(nowUs, budgetUs);
      const sinceUs = Math.floor(nowUs / HOUR_US) * HOUR_US - (SUPERVISION_HOURS - 1) * HOUR_US;
      const hours = await tx.supervision.decisionsPerHour(sinceUs, budgetUs);
      const claims = new Map((await tx.claims.allActive(nowUs)).map((c) => [c.seat, c]));
      const seats: Supervision['seats'] = [];
      for (const s of core.seats.list()) {
        if (!s.actor || s.accountId === null || s.transport === 'cli') continue;
        const account = await tx.accounts.byId(s.accountId);
        if (!account) continue;
        const claim = claims.get(s.tag);
        seats.push({
          seat: s.tag,
          person: { name: account.name, displayName: account.displayName },
          transport: s.transport,
          address: s.address,
          state: s.locked ? 'locked' : claim ? 'reviewing' : 'idle',
          alertId: !s.locked && claim ? claim.alertId : null,
          claimedUs: !s.locked && claim ? claim.claimedUs : null,
          lastActivityUs: s.lastActivityUs > 0 ? s.lastActivityUs : null,
        });
      }
      seats.sort((a, b) => a.person.name.localeCompare(b.person.name));
      return {
        nowUs,
        deadlineSeconds: settings.deadlineSeconds,
        queue: {
          pending: queue.pending,
          pastDeadline: queue.pastDeadline,
          oldestWaitS: queue.oldestWaitingSinceUs === null ? null : (nowUs - queue.oldestWaitingSinceUs) / 1e6,
        },
        seats,
        hours,
      };
    }),
};
