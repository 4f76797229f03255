/**
 * A discrete-event simulation of the review queue: alerts arrive, reviewers take the next one by
 * the queue's order (the contract's own compareUrgency, the code the seat and the core run), and
 * each review takes a time drawn from a distribution (the seat's own records when given). Every
 * policy sees the same arrivals and the same review times, so their figures differ only by order.
 */
import { compareUrgency, gunfireLikelihood, type QueueOrder } from '../../../src/contract/index.ts';

/** One way to order the queue: the order and, for likely_gunfire_first, its head start. */
export interface Policy {
  order: QueueOrder;
  headStartS: number;
}
import { Rng } from '../../../src/ingest/demo/rng.ts';

export interface SimAlert {
  id: number;
  detectedUs: number;
  /** Arrival at the centre: the same instant here (the simulated networks' clocks are right). */
  importedUs: number;
  machine: { label: string };
  /** What it really was: the figures for gunfire count what a reviewer would confirm. */
  trulyGunfire: boolean;
  /** How long its review takes, whoever takes it. */
  reviewUs: number;
}

export interface Scenario {
  name: string;
  /** What it models, in a line. */
  about: string;
  reviewers: number;
  durationS: number;
  /** Alerts per hour at second t of the scenario. */
  ratePerHour(tS: number): number;
  /** Share of alerts that are truly gunfire at second t. */
  gunfireShare(tS: number): number;
}

export interface PolicyFigures {
  policy: Policy;
  alerts: number;
  withinBudget: number;
  gunfireWithinBudget: number;
  gunfireWaitP99S: number;
  gunfireWaitMaxS: number;
  anyWaitMaxS: number;
  anyWaitP99S: number;
}

/**
 * Machine calls by what the sound really was, as the demo network's classifier makes them
 * (src/ingest/demo/classify.ts): most gunfire is called gunshot, a fifth to a third of fireworks,
 * firecrackers and backfires are called gunshot too.
 */
const CALLS_GUNFIRE: readonly [string, number][] = [
  ['gunshot', 85],
  ['probable_gunshot', 10],
  ['fireworks', 5],
];
const CALLS_OTHER: readonly [string, number][] = [
  ['fireworks', 45],
  ['firecracker', 15],
  ['gunshot', 22],
  ['probable_gunshot', 6],
  ['vehicle_backfire', 7],
  ['impulsive_noise', 5],
];

function pickWeighted(rng: Rng, table: readonly [string, number][]): string {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let x = rng.uniform(0, total);
  for (const [v, w] of table) if ((x -= w) < 0) return v;
  return table.at(-1)![0];
}

/** Arrivals of a scenario: a Poisson process of time-varying rate (thinning), seeded. */
export function arrivals(s: Scenario, seed: number, reviewTime: (rng: Rng) => number): SimAlert[] {
  const rng = Rng.of('queue-sim', s.name, seed);
  const peak = Math.max(...Array.from({ length: Math.ceil(s.durationS / 60) + 1 }, (_, m) => s.ratePerHour(m * 60)));
  const out: SimAlert[] = [];
  let t = 0;
  for (;;) {
    t += -Math.log(1 - rng.uniform(0, 1)) * (3600 / peak);
    if (t >= s.durationS) break;
    if (rng.uniform(0, 1) > s.ratePerHour(t) / peak) continue;
    const trulyGunfire = rng.chance(s.gunfireShare(t));
    out.push({
      id: out.length + 1,
      detectedUs: Math.round(t * 1e6),
      importedUs: Math.round(t * 1e6),
      machine: { label: pickWeighted(rng, trulyGunfire ? CALLS_GUNFIRE : CALLS_OTHER) },
      trulyGunfire,
      reviewUs: Math.round(reviewTime(rng) * 1e6),
    });
  }
  return out;
}

/** Review times of median `medianS` with a lognormal spread (sigma 0.6: p90 about 2.2x the median). */
export const lognormalReviews =
  (medianS: number, sigma = 0.6) =>
  (rng: Rng): number =>
    medianS * Math.exp(rng.normal(0, sigma));

/** Review times drawn from recorded ones (seconds), as they were. */
export const recordedReviews =
  (seconds: readonly number[]) =>
  (rng: Rng): number =>
    seconds[rng.int(0, seconds.length - 1)]!;

const quantile = (xs: number[], q: number): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

/**
 * Runs one policy: whenever a reviewer is free, they take the first waiting alert in the
 * policy's order at that moment. Waits are from detection to being taken; an alert is within
 * budget when its decision (taken + review) comes no later than detection + budget.
 */
export function simulate(alerts: readonly SimAlert[], reviewers: number, policy: Policy, budgetS: number): PolicyFigures {
  const budgetUs = budgetS * 1e6;
  const freeAt = Array.from({ length: reviewers }, () => 0);
  const waiting: SimAlert[] = [];
  const waits = new Map<number, number>();
  const decidedAt = new Map<number, number>();
  let next = 0;
  let now = 0;
  while (next < alerts.length || waiting.length > 0) {
    // The earliest moment a reviewer is free and an alert waits.
    const reviewer = freeAt.indexOf(Math.min(...freeAt));
    now = Math.max(now, freeAt[reviewer]!);
    while (next < alerts.length && alerts[next]!.detectedUs <= now) waiting.push(alerts[next++]!);
    if (waiting.length === 0) {
      now = alerts[next]!.detectedUs;
      continue;
    }
    waiting.sort(compareUrgency({ queueOrder: policy.order, deadlineSeconds: budgetS, gunfireHeadStartSeconds: policy.headStartS }, now));
    const a = waiting.shift()!;
    waits.set(a.id, now - a.detectedUs);
    decidedAt.set(a.id, now + a.reviewUs);
    freeAt[reviewer] = now + a.reviewUs;
  }
  const all = alerts.map((a) => waits.get(a.id)! / 1e6);
  const gun = alerts.filter((a) => gunfireLikelihood(a.machine.label) > 0);
  const gunWaits = gun.map((a) => waits.get(a.id)! / 1e6);
  const inBudget = (a: SimAlert) => decidedAt.get(a.id)! - a.detectedUs <= budgetUs;
  const truly = alerts.filter((a) => a.trulyGunfire);
  return {
    policy,
    alerts: alerts.length,
    withinBudget: alerts.filter(inBudget).length / Math.max(1, alerts.length),
    gunfireWithinBudget: truly.filter(inBudget).length / Math.max(1, truly.length),
    gunfireWaitP99S: quantile(gunWaits, 0.99),
    gunfireWaitMaxS: Math.max(0, ...gunWaits),
    anyWaitMaxS: Math.max(0, ...all),
    anyWaitP99S: quantile(all, 0.99),
  };
}
