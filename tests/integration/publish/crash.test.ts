import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openTestCore, testDatabaseUrl, testSql } from '../../support/test-core.ts';
import { DELIVERY_SETTING } from '../../../src/publish/delivery-config.ts';
import { tempDir } from '../../support/temp.ts';
import { startReceiver, type Receiver } from '../../support/receiver-process.ts';
import { addAgency, CITY, SECRET, seedAlert } from '../../support/publish-fixtures.ts';

const APP = fileURLToPath(new URL('../../support/publish-app.ts', import.meta.url));
const PUBLISHES = 200;
/** Kills at random moments before the app is left to finish. */
const KILLS = 30;

/**
 * Runs the app until it says "ready", lets it work a random while, then SIGKILLs it (no kill when
 * `killAfterMs` is null). Returns whether it finished on its own, and how many decisions it acknowledged.
 */
async function runOnce(dataDir: string, killAfterMs: number | null): Promise<{ finished: boolean; decided: number }> {
  const database = await testDatabaseUrl(dataDir);
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', APP, '--data', dataDir, '--pause-ms', '6', ...(database ? ['--database', database] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let decided = 0,
      finished = false,
      timer: NodeJS.Timeout | undefined;
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (l === 'ready' && killAfterMs !== null) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      else if (l.startsWith('decided ')) decided++;
      else if (l === 'done') finished = true;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' || (code === 0 && finished)) resolve({ finished: code === 0 && finished, decided });
      else reject(new Error(`the app exited with ${code ?? signal}: ${stderr.slice(-2000)}`));
    });
  });
}

describe('the app killed with SIGKILL at random moments during 200 publishes', () => {
  let tmp: ReturnType<typeof tempDir>;
  let receiver: Receiver;
  const dataDir = () => join(tmp.dir, 'data');

  beforeAll(async () => {
    tmp = tempDir();
    receiver = await startReceiver({ record: join(tmp.dir, 'received.jsonl'), secrets: [SECRET] });
    const core = await openTestCore({ dataDir: dataDir() });
    await addAgency(core, { name: 'City PD', url: receiver.url('/cap') });
    await addAgency(core, { name: 'County', url: receiver.url('/json'), format: 'json', half: 0.3 });
    for (let i = 0; i < PUBLISHES; i++) await seedAlert(core, { at: { lat: CITY.lat + (i % 20) * 0.001, lon: CITY.lon } });
    await core.storePort.write((tx) => tx.settings.put(DELIVERY_SETTING, { baseDelayMs: 20, maxDelayMs: 200, requestTimeoutMs: 2000, pollMs: 20 }, 0));
    await core.close();
  });
  afterAll(async () => {
    await receiver.stop();
    tmp.cleanup();
  });

  it('loses no incident; every duplicate carries the same idempotency key', async () => {
    let seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
    console.log(`crash test seed ${seed} (set CRASH_SEED to repeat)`);
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    // A fixed number of kills, then one run left to finish: how many decisions fit between two kills
    // depends on the backend and the machine's load (on PostgreSQL a decision takes several round
    // trips), and the test is about surviving the kills, not about finishing among them.
    let kills = 0,
      decidedBeforeKills = 0,
      finished = false;
    while (!finished && kills < KILLS) {
      const r = await runOnce(dataDir(), 60 + random() * 700);
      finished = r.finished;
      if (finished) break;
      kills++;
      decidedBeforeKills += r.decided;
    }
    console.log(`killed ${kills} times; ${decidedBeforeKills} decisions acknowledged before a kill`);
    if (!finished) expect((await runOnce(dataDir(), null)).finished).toBe(true);
    expect(kills).toBeGreaterThanOrEqual(3);

    const core = await openTestCore({ dataDir: dataDir() });
    try {
      const one = async (sql: string) => ((await testSql(core).row(sql)) as { n: number }).n;
      expect(await one("SELECT count(*) AS n FROM alerts WHERE status = 'decided'")).toBe(PUBLISHES);
      expect(await one('SELECT count(*) AS n FROM decisions')).toBe(PUBLISHES); // no decision made twice, none half-made
      expect(await one('SELECT count(*) AS n FROM incidents')).toBe(PUBLISHES);
      expect(await one("SELECT count(*) AS n FROM deliveries WHERE state = 'delivered'")).toBe(2 * PUBLISHES);
      expect(await one("SELECT count(*) AS n FROM delivery_attempts WHERE outcome = 'sending'")).toBe(0);
      expect(await one('SELECT count(*) AS n FROM deliveries d WHERE attempts != (SELECT count(*) FROM delivery_attempts t WHERE t.delivery_id = d.id)')).toBe(
        0,
      );
      expect(await one('SELECT count(*) AS n FROM deliveries WHERE lease_owner IS NOT NULL')).toBe(0);

      const got = receiver.received().filter((r) => r.signatureValid && r.status === 200);
      for (const path of ['/cap', '/json']) {
        const messages = new Set(got.filter((r) => r.path === path).map((r) => r.message));
        expect(messages.size).toBe(PUBLISHES);
      }
      const keys = new Map<string, Set<string>>();
      for (const r of got) keys.set(`${r.path} ${r.message}`, (keys.get(`${r.path} ${r.message}`) ?? new Set()).add(r.idempotencyKey));
      expect([...keys.values()].filter((k) => k.size !== 1)).toEqual([]);
      const duplicates = got.length - keys.size;
      console.log(`${got.length} requests received for ${keys.size} deliveries: ${duplicates} duplicate(s), each with its original idempotency key`);
    } finally {
      await core.close();
    }
  }, 360_000);
});
