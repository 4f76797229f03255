/**
 * A server's leadership alone, in a process of its own: leads the job named in argv on the
 * PostgreSQL database in argv, prints `leading` when it starts the job and `stopped` when it stops
 * it, and otherwise waits to be killed (tests/integration/store/postgres/leadership.test.ts).
 */
import { PgLeadership } from '../../src/store/postgres/leadership.ts';

const [url, job, pollMs] = process.argv.slice(2);
if (!url || !job) throw new Error('usage: leader-process.ts URL JOB [POLL_MS]');
const leadership = new PgLeadership(url, { pollMs: Number(pollMs ?? 200) });
leadership.lead(job, {
  start: () => void process.stdout.write('leading\n'),
  stop: () => void process.stdout.write('stopped\n'),
});
process.stdout.write('ready\n');
setInterval(() => undefined, 60_000);
