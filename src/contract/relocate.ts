import { z } from 'zod';
import { defineMethod } from './define.ts';
import { Shot, Solution } from './alerts.ts';
import { Id } from './common.ts';

/** Who may move picks: the people who decide (a re-location changes what a decision and an incident say). */
const RELOCATORS = ['reviewer', 'admin'] as const;

/** Limits that no real alert comes near; they keep a hostile call from costing the core anything. */
export const RELOCATION_LIMITS = { shots: 64, picksPerShot: 64, sensorIdChars: 200 } as const;

/** One arrival a reviewer sets on one sensor: seconds from the first sample of that sensor's clip, sub-sample precise. */
export const ReviewerPickInput = z.object({
  sensorId: z.string().min(1).max(RELOCATION_LIMITS.sensorIdChars),
  offsetS: z.number().finite(),
});
export type ReviewerPickInput = z.infer<typeof ReviewerPickInput>;

/** The picks of one shot, exactly as the reviewer wants them used: a dropped sensor is simply absent. */
export const RelocatedShotInput = z.object({
  index: z.number().int().min(1).max(1000),
  picks: z.array(ReviewerPickInput).max(RELOCATION_LIMITS.picksPerShot),
});
export type RelocatedShotInput = z.infer<typeof RelocatedShotInput>;

export const RelocationPreview = z.object({
  index: z.number().int().min(1),
  /** The fix from exactly these picks, or null when they cannot give one. */
  shot: Shot.nullable(),
  /** Why there is no fix, in the reviewer's words. */
  problem: z.string().nullable(),
});
export type RelocationPreview = z.infer<typeof RelocationPreview>;

export const relocateMethods = {
  previewRelocation: defineMethod({
    seal: { reads: { alertId: 'alert' } },
    summary: 'Solve shots from the picks given, without storing anything: the fix, its 95 % ellipse, residuals. Cheap enough to call on every drag of a pick.',
    input: z.object({
      alertId: Id,
      shots: z.array(RelocatedShotInput).min(1).max(RELOCATION_LIMITS.shots),
    }),
    output: z.object({ shots: z.array(RelocationPreview), solveUs: z.number() }),
    roles: RELOCATORS,
  }),
  relocate: defineMethod({
    seal: { acts: { alertId: 'alert' } },
    summary:
      'Store a reviewer\u2019s re-location: the picks (origin reviewer) and a new solution version solved from them; the machine\u2019s are never changed. ' +
      'A pending alert needs this seat\u2019s claim; a decided one needs a reason, and if it was published every agency gets an Update.',
    input: z.object({
      alertId: Id,
      /** The solution version the reviewer started from (null when the alert had none): a re-location by someone else in between is refused. */
      baseVersion: z.number().int().min(1).nullable(),
      /** Every shot of the new version, with all of its picks. */
      shots: z.array(RelocatedShotInput).min(1).max(RELOCATION_LIMITS.shots),
      notes: z.string().trim().max(4000).default(''),
    }),
    output: z.object({
      solution: Solution,
      /** Audit entries written for picks: moved, added, removed. */
      pickChanges: z.object({ moved: z.number().int(), added: z.number().int(), removed: z.number().int() }),
      /** What happened to a published incident: 'updated' when an Update went out. */
      publication: z.object({ outcome: z.string(), incidentId: Id.nullable(), reason: z.string() }).nullable(),
    }),
    roles: RELOCATORS,
  }),
};
