import type { OutcomeFinding } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import { Rng } from '../ingest/demo/rng.ts';
import { isUserError } from '../util/errors.ts';
import { log } from '../util/log.ts';
import type { Findings } from './findings.ts';
import { recordOutcome } from './record.ts';

/**
 * Simulated responders for the demo network, so the programme's figures and the transparency
 * report have outcomes to show from the first run. They answer only for incidents of the demo
 * network's own alerts (never for a real sensor's), as channel `demo`, so every figure can tell
 * them apart.
 *
 * The shares follow the City of Chicago Office of Inspector General, "CPD's Use of ShotSpotter
 * Technology" (OIG file #21-0707, August 2021), covering 1 January 2020 to 31 May 2021: of 50,176
 * confirmed and dispatched alerts, 41,830 had a disposition recorded (8,346, 16.6 %, had none), and
 * 4,556 (9.1 % of all alerts; 10.9 % of those with a disposition) showed evidence of a gun-related
 * criminal offence. Investigatory stops were tied to about 2 % of alerts. How the evidence splits
 * (casings, a victim, property struck, a gun recovered), the share of arrests and the share marked
 * unfounded are not broken out there: those below are this demo's assumptions, kept small.
 */
export const DEMO_SHARES = {
  /** No report comes back at all (OIG: 8,346 / 50,176). */
  missing: 8_346 / 50_176,
  /** Of those reported, evidence of gunfire (OIG: 4,556 / 41,830). */
  evidence: 4_556 / 41_830,
  /** Of those reported, responders say it was not gunfire (assumed). */
  unfounded: 0.05,
  /** Of those with evidence: a victim, property struck, a firearm recovered, an arrest (assumed). */
  victim: 0.18,
  propertyStruck: 0.25,
  firearm: 0.12,
  arrest: 0.15,
  /** Of those reported, a later report adds to the first (assumed): found the next day. */
  revised: 0.04,
} as const;

export type SimulatedOutcome = { kind: 'missing' } | { kind: 'report'; first: Findings; later: Findings | null };

/** One incident's simulated outcome, from a stream of random numbers. */
export function simulateOutcome(rng: Rng): SimulatedOutcome {
  if (rng.next() < DEMO_SHARES.missing) return { kind: 'missing' };
  const x = rng.next();
  if (x >= DEMO_SHARES.evidence) {
    const none: OutcomeFinding = x < DEMO_SHARES.evidence + DEMO_SHARES.unfounded ? 'unfounded' : 'nothing_found';
    const first = { findings: [none], arrests: 0, firearms: 0 };
    // A late find: casings found in daylight where the night's search found nothing.
    return {
      kind: 'report',
      first,
      later: none === 'nothing_found' && rng.next() < DEMO_SHARES.revised ? { findings: ['shell_casings'], arrests: 0, firearms: 0 } : null,
    };
  }
  const found = new Set<OutcomeFinding>(['shell_casings']);
  if (rng.next() < DEMO_SHARES.victim) found.add('victim');
  if (rng.next() < DEMO_SHARES.propertyStruck) found.add('property_struck');
  const firearms = rng.next() < DEMO_SHARES.firearm ? 1 : 0;
  const arrests = rng.next() < DEMO_SHARES.arrest ? 1 + (rng.next() < 0.2 ? 1 : 0) : 0;
  if (firearms) found.add('firearm_recovered');
  if (arrests) found.add('arrest');
  const order = ['shell_casings', 'victim', 'property_struck', 'arrest', 'firearm_recovered'] as const;
  return { kind: 'report', first: { findings: order.filter((f) => found.has(f)), arrests, firearms }, later: null };
}

const UNITS = ['1-Adam-12', '2-Lincoln-7', '3-Baker-4', '4-David-21', 'K9-3', 'Sgt 1140'];
const NOTES: Record<string, string> = {
  nothing_found: 'Area canvassed, no casings, no witnesses, no damage found.',
  unfounded: 'Residents report fireworks from a yard; no evidence of gunfire.',
  evidence: 'Casings recovered and booked; area canvassed.',
};

export interface DemoOutcomeOptions {
  /** Whose alerts the simulated responders answer for: the demo network's source. */
  source: string;
  /** How long after publication an agency answers, seconds, drawn per incident. */
  delayS?: readonly [number, number];
  /** When a late second report follows the first, seconds. */
  laterS?: number;
  pollMs?: number;
}

/**
 * The demo's responders: every few seconds, each incident of the demo network sent to an agency
 * gets its simulated outcome once its delay has passed. The draw is keyed by the centre's instance
 * and the incident, so a restart answers the same way and never twice.
 */
export function startDemoOutcomes(core: CoreServices, o: DemoOutcomeOptions): { tick(): Promise<number>; stop(): void } {
  const [lo, hi] = o.delayS ?? [45, 240];
  const laterS = o.laterS ?? 600;
  const tick = async (): Promise<number> => {
    const now = core.clock.nowUs();
    let recorded = 0;
    // The instance and the pending list in one read; each report is its own write (recordOutcome numbers the version under a lock).
    const { instance, pending } = await core.storePort.read(async (tx) => ({
      instance: (await tx.settings.get<string>('publish.instance')) ?? 'none',
      pending: await tx.outcomes.demoPending(o.source, now - (hi + laterS) * 1e6 - 86_400e6, now - lo * 1e6),
    }));
    for (const p of pending) {
      const rng = Rng.of('earwitness-demo-outcome', instance, p.incidentId, p.agencyId);
      const delayUs = rng.uniform(lo, hi) * 1e6;
      const sim = simulateOutcome(rng);
      if (sim.kind === 'missing') continue;
      const unit = UNITS[rng.int(0, UNITS.length - 1)]!;
      const report = (f: Findings, n: number) =>
        recordOutcome(core, {
          ...f,
          incidentId: p.incidentId,
          agencyId: p.agencyId,
          unit,
          reference: null,
          channel: 'demo',
          reportedUs: null,
          reportedBy: `demo-agency:${p.agencyId}`,
          notes: n === 2 ? 'Daylight search: casings found in the gutter.' : (NOTES[f.findings.includes('shell_casings') ? 'evidence' : f.findings[0]!] ?? ''),
        });
      try {
        if (p.versions === 0 && now >= p.publishedUs + delayUs) {
          await report(sim.first, 1);
          recorded++;
        } else if (p.versions === 1 && sim.later && now >= p.publishedUs + delayUs + laterS * 1e6) {
          await report(sim.later, 2);
          recorded++;
        }
      } catch (e) {
        if (!isUserError(e)) throw e;
      }
    }
    return recorded;
  };
  // One tick at a time: two would both see a version missing and report it twice.
  let ticking = false;
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    tick()
      .catch((e: unknown) => log.error({ err: e }, 'demo outcomes: a simulated report failed'))
      .finally(() => (ticking = false));
  }, o.pollMs ?? 5000);
  timer.unref();
  return { tick, stop: () => clearInterval(timer) };
}
