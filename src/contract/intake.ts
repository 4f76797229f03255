import { z } from 'zod';
import { defineMethod } from './define.ts';
import { Micros } from './common.ts';

/**
 * Keys sensor networks push alerts with (`POST /intake/v1/alerts`, `earwitness push`). One key
 * answers for one source: an alert it brings must name that source. The key is shown once, when
 * issued; the store keeps only its SHA-256.
 */
export const IntakeKey = z.object({
  id: z.number().int(),
  source: z.string(),
  note: z.string().nullable(),
  issuedUs: Micros,
  issuedBy: z.string(),
  /** When it last brought an alert in, or null. */
  lastUsedUs: Micros.nullable(),
  revokedUs: Micros.nullable(),
  revokedBy: z.string().nullable(),
});
export type IntakeKey = z.infer<typeof IntakeKey>;

const ADMIN = ['admin'] as const;

export const intakeMethods = {
  issueIntakeKey: defineMethod({
    seal: { none: true },
    summary:
      "Issue a key a sensor network pushes its alerts with: shown once in the answer, never again (only its hash is kept). It is good for the named source's alerts only.",
    input: z.object({
      source: z.string().trim().min(1).max(200),
      note: z.string().trim().max(500).optional(),
    }),
    output: z.object({ key: IntakeKey, secret: z.string() }),
    roles: ADMIN,
  }),
  listIntakeKeys: defineMethod({
    seal: { none: true },
    summary: 'Every intake key issued, revoked or not: its source, who issued it and when, when it last brought an alert in. Never the key itself.',
    input: z.object({}).default({}),
    output: z.object({ keys: z.array(IntakeKey) }),
    roles: ADMIN,
  }),
  revokeIntakeKey: defineMethod({
    seal: { none: true },
    summary: 'Revoke an intake key: from now on a push with it is refused (401). Alerts it brought stay.',
    input: z.object({ id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
    output: IntakeKey,
    roles: ADMIN,
  }),
};
