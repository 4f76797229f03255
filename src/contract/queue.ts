import { z } from 'zod';
import { defineEvent, defineMethod } from './define.ts';
import { AlertSummary, Decision } from './alerts.ts';
import { Id, Micros } from './common.ts';
import { SeatSettings, SeatState } from './seat.ts';

/**
 * The review queue and its claims. A claim is a lease on one pending alert by one seat: nobody
 * else can open that alert for review while it lasts; the seat renews it while the reviewer
 * works (heartbeat) and releases it when they leave, go idle or sign out.
 */

export const Claim = z.object({
  alertId: Id,
  /** Account name of the person holding it. */
  by: z.string(),
  /** The public tag of the seat holding it (SeatState.seat). */
  seat: z.string(),
  claimedUs: Micros,
  expiresUs: Micros,
});
export type Claim = z.infer<typeof Claim>;

export const QueueEntry = AlertSummary.extend({ claim: Claim.nullable() });
export type QueueEntry = z.infer<typeof QueueEntry>;

/** What a supervisor sees of the floor (getSupervision). */
export const Supervision = z.object({
  nowUs: Micros,
  /** The time budget from detection to decision (the seat settings' deadline). */
  deadlineSeconds: z.number().int(),
  queue: z.object({
    pending: z.number().int(),
    pastDeadline: z.number().int(),
    /** How long the longest-waiting pending alert has waited (waitingSinceUs), or null when none waits. */
    oldestWaitS: z.number().nullable(),
  }),
  seats: z.array(
    z.object({
      seat: z.string(),
      person: z.object({ name: z.string(), displayName: z.string() }),
      transport: z.enum(['electron', 'loopback', 'network']),
      address: z.string().nullable(),
      state: z.enum(['reviewing', 'idle', 'locked']),
      /** The alert the seat holds, while reviewing. */
      alertId: Id.nullable(),
      claimedUs: Micros.nullable(),
      lastActivityUs: Micros.nullable(),
    }),
  ),
  /** Hours with at least one first decision, oldest first. */
  hours: z.array(z.object({ hourUs: Micros, decisions: z.number().int(), withinBudget: z.number().int() })),
});
export type Supervision = z.infer<typeof Supervision>;

export const queueMethods = {
  getQueue: defineMethod({
    seal: { list: { items: 'alerts', alertAt: 'id', outsider: 'blind' } },
    summary: "The pending alerts with their claims, the seat settings that order them, and the core's clock.",
    input: z.object({ limit: z.number().int().min(1).max(2000).default(500) }),
    output: z.object({ alerts: z.array(QueueEntry), settings: SeatSettings, nowUs: Micros }),
    passive: true,
  }),
  claimAlert: defineMethod({
    seal: { acts: { alertId: 'alert' } },
    summary: "Open a pending alert for review: claim it for this seat (releasing the seat's previous claim). Refused while another person holds it.",
    input: z.object({ alertId: Id }),
    output: Claim,
    roles: ['reviewer', 'admin'],
  }),
  claimNext: defineMethod({
    seal: { none: true },
    summary: 'Claim the most urgent pending alert nobody holds, leaving out `skip` (the one being left). Null when none is free.',
    input: z.object({ skip: z.array(Id).max(100).default([]) }),
    output: z.object({ claim: Claim.nullable() }),
    roles: ['reviewer', 'admin'],
  }),
  releaseClaim: defineMethod({
    seal: { acts: { alertId: 'alert' } },
    summary: 'Give an alert back to the queue.',
    input: z.object({ alertId: Id }),
    output: z.object({ released: z.boolean() }),
    roles: ['reviewer', 'admin'],
  }),
  heartbeat: defineMethod({
    seal: { none: true },
    summary:
      'Sent by the seat every few seconds: whether the person was active since the last one, and the alert open for review (its claim is renewed). Returns the seat and the claim (null when it was lost).',
    input: z.object({ active: z.boolean(), alertId: Id.nullable() }),
    output: z.object({ seat: SeatState, claim: Claim.nullable() }),
    passive: true,
  }),
  undoDecision: defineMethod({
    seal: { acts: { alertId: 'alert' } },
    summary:
      'Undo the standing decision on an alert until it is published: the alert returns to the queue, claimed by this seat. Only its decider or an administrator may.',
    input: z.object({ alertId: Id }),
    output: z.object({ undone: Decision, claim: Claim }),
    roles: ['reviewer', 'admin'],
  }),
  getSupervision: defineMethod({
    seal: { none: true },
    summary:
      "The floor as a shift supervisor watches it: queue depth and alerts past their time budget, each signed-in seat's state (reviewing which alert, idle, locked), and decisions per hour over the last 12 hours with the share made within the budget.",
    input: z.object({}).default({}),
    output: Supervision,
    roles: ['admin', 'auditor'],
    passive: true,
  }),
};

export const queueEvents = {
  claimChanged: defineEvent({
    seal: { about: 'alertId', outsider: 'drop' },
    summary: 'An alert was claimed, its claim moved, or it was released (claim null).',
    payload: z.object({ alertId: Id, claim: Claim.nullable() }),
  }),
};

/**
 * When an alert began to wait: its detection time, or the centre's own clock at import where that
 * is earlier. A network whose clock runs ahead (local time written as UTC, a GPS fix gone wrong)
 * sends alerts that look younger than they are: counted from their detection time, their budget
 * would not start for hours and every order would rank them behind fresh alerts, gunfire too.
 * The detection time itself is kept as the network sent it (it is evidence); only the wait is
 * counted from what the centre can vouch for. The core's SQL says the same (`waitingSince`).
 */
export const waitingSinceUs = (a: Pick<AlertSummary, 'detectedUs' | 'importedUs'>): number => Math.min(a.detectedUs, a.importedUs);

/** How far past the centre's clock a detection time may lie before the seat says the network's clock runs ahead. */
export const CLOCK_AHEAD_TOLERANCE_US = 30_000_000;

/** How far the network's clock ran ahead of the centre's for this alert, in µs, or 0 where within tolerance. */
export const clockAheadUs = (a: Pick<AlertSummary, 'detectedUs' | 'importedUs'>): number =>
  a.detectedUs - a.importedUs > CLOCK_AHEAD_TOLERANCE_US ? a.detectedUs - a.importedUs : 0;

/** When an alert's time budget runs out, counted from when it began to wait (waitingSinceUs). */
export const deadlineUs = (sinceUs: number, settings: Pick<SeatSettings, 'deadlineSeconds'>): number => sinceUs + settings.deadlineSeconds * 1_000_000;

export type Urgency = 'ok' | 'amber' | 'red';

/** The countdown's colour: red once the deadline passed, amber when `amberSeconds` or less are left. */
export function urgencyOf(sinceUs: number, nowUs: number, settings: Pick<SeatSettings, 'deadlineSeconds' | 'amberSeconds'>): Urgency {
  const left = deadlineUs(sinceUs, settings) - nowUs;
  if (left <= 0) return 'red';
  return left <= settings.amberSeconds * 1_000_000 ? 'amber' : 'ok';
}

/**
 * Whether a machine label says gunfire: 1 for a gunshot, 0.5 for a probable or possible one, 0
 * otherwise. Labels are free text from each sensor network ("gunshot", "probable_gunshot",
 * "Gunfire", …), so the rule is about words, not one vocabulary.
 */
export function gunfireLikelihood(label: string | null | undefined): number {
  const l = (label ?? '').toLowerCase();
  if (!/gun|shot/.test(l)) return 0;
  return /^(probable|possible|likely)/.test(l) ? 0.5 : 1;
}

/**
 * The head start an alert gets under `likely_gunfire_first`, in µs: the whole setting for a
 * gunshot, half of it for a probable one, none otherwise. Whole microseconds, so the core's SQL
 * and this comparison order alike.
 */
export const gunfireHeadStartUs = (label: string | null | undefined, headStartSeconds: number): number =>
  Math.round(gunfireLikelihood(label) * headStartSeconds * 2) * 500_000;

type Queued = Pick<AlertSummary, 'id' | 'detectedUs' | 'importedUs'> & { machine?: { label: string } | null };

/**
 * The queue's order, shared by the core (claimNext, whose SQL in src/store/queries/claims.ts says
 * the same) and the seat (the list). Every wait counts from waitingSinceUs: an alert whose network
 * clock runs ahead is not pushed back by it.
 * - likely_gunfire_first (the default): by how long each alert has waited, likely gunfire given a
 *   head start (gunfireHeadStartSeconds; half for probable gunfire). A late gunshot comes before
 *   a fresh firework, and no alert waits without bound: an older alert of any kind passes a newer
 *   gunshot once it has waited the head start longer.
 * - within_budget_oldest_first: alerts that can still make their deadline first, least time left
 *   first, then the late ones. In a burst every late alert waits for every fresh one.
 * - oldest_first, newest_first: by when they began to wait.
 */
export function compareUrgency(settings: Pick<SeatSettings, 'queueOrder' | 'deadlineSeconds' | 'gunfireHeadStartSeconds'>, nowUs: number) {
  const order = settings.queueOrder;
  const budgetUs = settings.deadlineSeconds * 1_000_000;
  return (a: Queued, b: Queued): number => {
    const [sinceA, sinceB] = [waitingSinceUs(a), waitingSinceUs(b)];
    if (order === 'newest_first') return sinceB - sinceA || b.id - a.id;
    if (order === 'likely_gunfire_first') {
      const keyA = sinceA - gunfireHeadStartUs(a.machine?.label, settings.gunfireHeadStartSeconds);
      const keyB = sinceB - gunfireHeadStartUs(b.machine?.label, settings.gunfireHeadStartSeconds);
      return keyA - keyB || a.id - b.id;
    }
    if (order === 'within_budget_oldest_first') {
      const lateA = sinceA + budgetUs <= nowUs ? 1 : 0;
      const lateB = sinceB + budgetUs <= nowUs ? 1 : 0;
      if (lateA !== lateB) return lateA - lateB;
    }
    return sinceA - sinceB || a.id - b.id;
  };
}

/** A claim still counts until it expires. */
export const claimActive = (c: Pick<Claim, 'expiresUs'> | null | undefined, nowUs: number): boolean => !!c && c.expiresUs > nowUs;
