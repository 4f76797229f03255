/**
 * One server's queue in a process of its own, for tests of several processes sharing one
 * PostgreSQL queue: a real core whose queue runs on the PostgreSQL store port, with `seats`
 * command-line seats. It prints `ready` once listening for other processes' events, waits for
 * `go` on stdin, has every seat call claimNext at once, waits until it has heard `expectEvents`
 * claimChanged events (its own and the other processes'), and prints one JSON line of results.
 *
 *   node --import tsx tests/support/queue-process.ts URL DATA_DIR NAME SEATS EXPECT_EVENTS
 */
import { createInterface } from 'node:readline';
import { openCore } from '../../src/core/core.ts';
import { newSession } from '../../src/kernel/session.ts';
import { PostgresStore } from '../../src/store/postgres/store.ts';

const [url, dataDir, name, seatsArg, expectArg] = process.argv.slice(2);
const seats = Number(seatsArg);
const expectEvents = Number(expectArg);

const port = await PostgresStore.open(url!, { migrations: false, max: 8 });
const core = openCore({ dataDir: dataDir!, storePort: port });
const heard: { alertId: number; seat: string | null }[] = [];
core.events.subscribe((event, payload) => {
  if (event !== 'claimChanged') return;
  const e = payload as { alertId: number; claim: { seat: string } | null };
  heard.push({ alertId: e.alertId, seat: e.claim?.seat ?? null });
});
await port.listening();
process.stdout.write('ready\n');

const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line.trim() === 'go') break;

const started = performance.now();
const sessions = Array.from({ length: seats }, (_, i) => newSession('cli', { name: `${name}-${i}`, roles: ['reviewer'] }));
const results = await Promise.all(
  sessions.map(async (s) => {
    const t0 = performance.now();
    const r = await core.dispatch(s, 'claimNext', {});
    const ms = performance.now() - t0;
    return r.ok
      ? { seat: s.tag, alertId: (r.value as { claim: { alertId: number; seat: string } | null }).claim?.alertId ?? null, ms }
      : { seat: s.tag, error: r.error.message, ms };
  }),
);
const wallMs = performance.now() - started;
const deadline = Date.now() + 20_000;
while (heard.length < expectEvents && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
process.stdout.write(`${JSON.stringify({ name, results, heard, wallMs })}\n`);
lines.close();
await core.close();
