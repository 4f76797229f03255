import type { z } from 'zod';

export const ROLES = ['reviewer', 'trainer', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What an input field names, on the way to the alert it belongs to. */
export type SealKey = 'alert' | 'incident' | 'delivery';

/**
 * How a method touches alerts under a blind QA review, declared by every method and enforced by
 * the core (src/audit/qa/seal-rules.ts) before the handler runs, so no method can leak a sealed
 * decision, or change one, by having an unusual shape:
 * - `none`: the answer holds nothing a person decided about any alert (audio, settings, people, projects).
 * - `reads` / `acts`: shows / changes one alert's decision, picks, incident or deliveries, reached
 *   through the named input fields. Whoever is outside the seal is refused before the handler runs,
 *   with an answer that does not depend on the decision (an incident or delivery of a sealed alert
 *   answers exactly as one that does not exist).
 * - `blind`: shows one alert; for those outside the seal the handler gives its blind answer (ctx.blind).
 * - `list`: a listing any seat may ask for; items about sealed alerts (found at `alertAt` in each item of
 *   the output array `items`) are shown blind to everyone but their deciders (`blind`: the queue on
 *   screen is not a look at a decision), or (`drop`) left out for outsiders and shown to overseers,
 *   recorded as opening the seal.
 * - `overseers`: only auditors and admins may call it; each sealed alert its answer shows is recorded as opened.
 * - `qa`: the blind review's own methods, which check who may give the review themselves.
 */
export type SealRule =
  | { none: true }
  | { reads: Readonly<Record<string, SealKey>> }
  | { acts: Readonly<Record<string, SealKey>> }
  | { blind: Readonly<Record<string, SealKey>> }
  | { list: { items: string; alertAt: string; outsider: 'blind' | 'drop' } }
  | { overseers: true }
  | { qa: true };

/** Which alert an event is about (a dotted path into its payload), and what an outsider gets of it. */
export type EventSealRule = { none: true } | { about: string; outsider: 'blind' | 'drop' };

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  summary: string;
  input: I;
  output: O;
  /** Required: how the method touches alerts under blind review (see SealRule). */
  seal: SealRule;
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
  /** Required: which alert the event is about, for the blind-review seal. */
  seal: EventSealRule;
}

export const defineMethod = <I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>) => spec;
export const defineEvent = <P extends z.ZodType>(spec: EventSpec<P>) => spec;
