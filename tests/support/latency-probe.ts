/**
 * A seat that keeps calling the host, in its own process so that its clock and timers never
 * wait for the host's event loop: `node --import tsx latency-probe.ts ORIGIN TOKEN [GAP_MS]`.
 * Opens a session, then calls getSeat over and over (a gap between an answer and the next
 * call), printing `<unix ms when sent> <ms until answered>` for each answer.
 */
import { argv } from 'node:process';

const [origin, token, gap = '10'] = argv.slice(2);
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const session = (await (await fetch(new URL('/api/session', origin), { method: 'POST', headers, body: '{}' })).json()) as { value: { sessionId: string } };
const call = { method: 'POST', headers: { ...headers, 'x-earwitness-session': session.value.sessionId }, body: '{}' };
process.stdout.write('ready\n');
for (;;) {
  const sentAt = Date.now();
  const t = performance.now();
  const res = await fetch(new URL('/api/getSeat', origin), call);
  const body = (await res.json()) as { ok: boolean };
  if (!body.ok) throw new Error(`getSeat failed: ${JSON.stringify(body)}`);
  process.stdout.write(`${sentAt} ${(performance.now() - t).toFixed(2)}\n`);
  await new Promise((r) => setTimeout(r, Number(gap)));
}
