import type { z } from 'zod';

export const ROLES = ['reviewer', 'trainer', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  summary: string;
  input: I;
  output: O;
  /** Roles allowed to call it; omitted means any signed-in person. Enforced by the core's dispatcher. */
  roles?: readonly Role[];
  /** Callable before anyone signs in (status, sign-in itself). */
  public?: boolean;
  /**
   * A background read (polling, refresh after an event, heartbeat): it still needs an unlocked
   * seat, but it is not the person's activity, so it does not keep an idle seat from locking.
   */
  passive?: boolean;
}

export interface EventSpec<P extends z.ZodType = z.ZodType> {
  summary: string;
  payload: P;
}

export const defineMethod = <I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>) => spec;
export const defineEvent = <P extends z.ZodType>(spec: EventSpec<P>) => spec;
