/**
 * One reviewer in a process of its own on a shared data folder: signs in, then takes "next" and
 * decides it, N times, as fast as it can; prints the alert ids it received as JSON. Used to show
 * that claims hold across processes (two hosts, or the desktop app and a host, on one store).
 * Usage: tsx claim-worker.ts DATA_DIR NAME PASSWORD N
 */
import { openCore } from '../../src/core/core.ts';

const [dataDir, name, password, n] = process.argv.slice(2) as [string, string, string, string];
const core = openCore({ dataDir });
try {
  const seat = core.openSession('loopback');
  await core.call(seat, 'signIn', { name, password });
  const got: number[] = [];
  for (let i = 0; i < Number(n); i++) {
    const { claim } = await core.call(seat, 'claimNext', {});
    if (!claim) break;
    got.push(claim.alertId);
    await core.call(seat, 'decide', { alertId: claim.alertId, class: 'fireworks', reviewMs: 1 });
  }
  process.stdout.write(JSON.stringify(got));
} finally {
  await core.close();
}
