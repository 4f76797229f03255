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
  /**
   * The method names files on the core's own machine (paths to read or write). Only the local
   * command line (a session of transport `cli`) may call it: the dispatcher refuses it to every
   * seat, Electron's included, with `forbidden` before reading the arguments. Seats use the
   * method named in `seatVariant`, which takes uploads, desktop grants and downloads instead.
   */
  local?: true;
  /** For a local method: the path-free method a seat calls instead. */
  seatVariant?: string;
}

export interface EventSpec<P extends z.ZodType = z.ZodType> {
  summary: string;
  payload: P;
}

export const defineMethod = <I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>) => spec;
export const defineEvent = <P extends z.ZodType>(spec: EventSpec<P>) => spec;
