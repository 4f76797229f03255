import { z } from 'zod';
import { defineMethod } from './define.ts';
import { Decision, DecisionFlags } from './alerts.ts';
import { Id } from './common.ts';
import { DECISION_CLASSES } from './taxonomy.ts';

export const DecisionInput = z.object({
  alertId: Id,
  class: z.enum(DECISION_CLASSES),
  rounds: z.number().int().min(0).max(1000).nullable().default(null),
  flags: DecisionFlags.default({ fullyAutomatic: false, multipleShooters: false }),
  notes: z.string().max(4000).default(''),
  /** Milliseconds from opening the alert to deciding, measured by the seat. */
  reviewMs: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600 * 1000),
});

export const reviewMethods = {
  decide: defineMethod({
    seal: { acts: { alertId: 'alert' } },
    summary: 'Record a decision on a pending alert (who and when come from the session and the clock). A not-gunfire class needs a reason in notes.',
    input: DecisionInput,
    output: Decision,
    roles: ['reviewer', 'admin'],
  }),
};
