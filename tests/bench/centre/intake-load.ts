import { mkdirSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { bundleParts, sendPush } from '../../../src/cli/push-request.ts';
import { writeBundle, type GeneratedAlert } from '../../../src/ingest/demo/output.ts';

export interface IntakeResult {
  /** (source, id) of every push the centre accepted (201, or 200 for one it had already). */
  accepted: { source: string; id: string }[];
  /** Time of each accepted request, ms. */
  acceptedMs: number[];
  /** Pushes never accepted after every retry. */
  given_up: number;
  refusals: Map<string, number>;
}

/**
 * A sensor network pushing at a steady rate (open loop: the next push leaves on time whatever the
 * last one is doing), each alert a new variant of one of the demo network's: a new id and new clip
 * bytes. Pushes go to the servers in turn; one that cannot be reached, or answers 429 or 5xx, is
 * tried again (on the other server), as a sender given two addresses would.
 */
/** Loopback addresses the pushes come from. */
const SENDERS = 8;

export async function pushAtRate(o: {
  pool: GeneratedAlert[];
  origins: string[];
  ca: string;
  key: string;
  perHour: number;
  durationMs: number;
  workDir: string;
  log(m: string): void;
}): Promise<IntakeResult> {
  const result: IntakeResult = { accepted: [], acceptedMs: [], given_up: 0, refusals: new Map() };
  const refused = (why: string) => result.refusals.set(why, (result.refusals.get(why) ?? 0) + 1);
  const gapMs = 3_600_000 / o.perHour;
  mkdirSync(o.workDir, { recursive: true });
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  const pushOne = async (i: number) => {
    const g = variantOf(o.pool[i % o.pool.length]!, i);
    const dir = writeBundle(o.workDir, g);
    try {
      const parts = bundleParts(dir);
      for (let attempt = 0; attempt < 20; attempt++) {
        const origin = o.origins[(i + attempt) % o.origins.length]!;
        const t = performance.now();
        let status = 0;
        let retryAfterS: number | null = null;
        try {
          // From one of several loopback addresses, as a network's several senders: the balancer spreads them over the servers.
          const a = await sendPush(new URL('/intake/v1/alerts', origin), o.key, parts, o.ca, `127.0.1.${1 + ((i + attempt) % SENDERS)}`);
          status = a.status;
          retryAfterS = a.retryAfterS;
          if (status === 201 || status === 200) {
            result.acceptedMs.push(performance.now() - t);
            result.accepted.push({ source: g.alert.source, id: g.id });
            return;
          }
          refused(`${status}`);
          if (status < 429 || (status > 429 && status < 500)) break; // the centre's reason: trying again will not help
        } catch (e) {
          refused((e as NodeJS.ErrnoException).code ?? 'error');
        }
        await sleep(retryAfterS !== null ? retryAfterS * 1000 : 250 * 2 ** Math.min(attempt, 3));
      }
      result.given_up++;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  for (let i = 0; performance.now() - start < o.durationMs; i++) {
    const p = pushOne(i).catch((e: unknown) => {
      result.given_up++;
      o.log(`push ${i} failed: ${(e as Error).message}`);
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    const next = start + (i + 1) * gapMs;
    await sleep(Math.max(0, next - performance.now()));
  }
  await Promise.all(inFlight);
  return result;
}

/** The i-th alert pushed: the pool's alert with a new id and its clips' last samples changed (new hashes, same work). */
export function variantOf(base: GeneratedAlert, i: number): GeneratedAlert {
  const clips = base.clips.map((c, k) => {
    const bytes = Buffer.from(c.bytes);
    // The lowest byte of four samples near the end (12 bytes apart: a whole number of 16-bit,
    // 24-bit and float samples), so a float never turns into NaN and a PCM sample moves by a hair.
    for (let s = 0; s < 4; s++) bytes[bytes.length - 12 * (s + 1)]! ^= ((i + k) >> (8 * s)) & 0xff;
    return { name: c.name, bytes };
  });
  const id = `${base.id}-L${i}`;
  return { ...base, id, alert: { ...base.alert, id }, clips };
}
