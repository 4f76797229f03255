/**
 * Admission, the seat check before every call, on both backends (`npm run bench -- --only
 * admission`): a signed-in seat's check as the core runs it (`admitCall`: the account and the
 * seat settings from SeatFacts, in memory, read again through the port after a second), beside
 * the same check reading both through the port on every call (what it would cost without
 * SeatFacts), in the same run on the same core; p50 and p99 of 2,000 sequential checks, and the
 * wall time of 50 seats checking 40 times each at once. PostgreSQL is found as the tests find it
 * (EARWITNESS_TEST_PG_URL, else a throwaway cluster); without one only SQLite's figures print.
 */
import { admitCall } from '../../../src/accounts/guard.ts';
import { readSeatSettingsTx } from '../../../src/accounts/seat-settings.ts';
import { methods } from '../../../src/contract/index.ts';
import type { Core } from '../../../src/core/core.ts';
import type { Session } from '../../../src/kernel/session.ts';
import type { StoreBackend } from '../../../src/kernel/store-port.ts';
import { addPerson, seatOf } from '../../support/seats.ts';
import { onBothBackends } from '../both-backends.ts';
import { percentile } from '../store/workload.ts';
import type { BenchContext, BenchSuite, Figure } from '../types.ts';

const SEATS = 50;

/** What admission did before SeatFacts could answer: the account and the settings read through the port, then the same checks. */
async function admitReadingThePort(core: Core, session: Session): Promise<boolean> {
  const { account, settings } = await core.storePort.read(async (tx) => ({
    account: await tx.accounts.byId(session.accountId!),
    settings: await readSeatSettingsTx(tx),
  }));
  if (!account || account.disabled || session.locked) return false;
  return core.clock.nowUs() - session.lastActivityUs <= settings.idleLockSeconds * 1_000_000;
}

async function measure(backend: StoreBackend, core: Core, ctx: BenchContext): Promise<Figure[]> {
  const n = ctx.quick ? 200 : 2000;
  const perSeat = ctx.quick ? 5 : 40;
  await addPerson(core, 'rita', ['reviewer']);
  const spec = methods.getQueue;
  // One after another: sign-ins at once for one name would trip its throttle (counted before the password is checked).
  const sessions: Session[] = [];
  for (let i = 0; i < SEATS; i++) sessions.push(await seatOf(core, 'rita'));
  const one = sessions[0]!;
  const sequential = async (check: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await check();
      times.push(performance.now() - t);
    }
    return times;
  };
  const together = async (check: (s: Session) => Promise<unknown>) => {
    const t = performance.now();
    await Promise.all(sessions.map(async (s) => (await Promise.all(Array.from({ length: perSeat }, () => check(s)))).length));
    return performance.now() - t;
  };
  const factsMs = await sequential(async () => {
    if ((await admitCall(core, one, spec)) !== null) throw new Error('admission refused the bench seat');
  });
  const portMs = await sequential(() => admitReadingThePort(core, one));
  const portWallMs = await together((s) => admitReadingThePort(core, s));
  const factsWallMs = await together((s) => admitCall(core, s, spec));
  ctx.log(`${backend}: ${n} checks each way, then ${SEATS} seats x ${perSeat} at once`);
  const label = 'the same check reading the port each call';
  const f = (metric: string, value: number, baseline: number): Figure => ({
    name: `admission.${metric}.${backend}`,
    value,
    baseline,
    unit: 'ms',
    baselineLabel: label,
    higherIsBetter: false,
  });
  return [
    f('check_p50_ms', percentile(factsMs, 50), percentile(portMs, 50)),
    f('check_p99_ms', percentile(factsMs, 99), percentile(portMs, 99)),
    f(`seats${SEATS}_wall_ms`, factsWallMs, portWallMs),
  ];
}

export const suite: BenchSuite = {
  name: 'admission',
  run: (ctx) => onBothBackends(ctx, 'admission', measure),
};
