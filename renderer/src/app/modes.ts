import type { Role } from '../../../src/contract/index.ts';

/** The seat's modes, each its own top-bar entry: reviewing alerts, blind second reviews, auditing. */
export type Mode = 'review' | 'qa' | 'audit';

export interface ModeEntry {
  id: Mode;
  label: string;
  hint: string;
}

const has = (roles: readonly Role[], ...any: Role[]) => any.some((r) => roles.includes(r));

/** The modes a person's roles open, in top-bar order. Everyone may look at the queue. */
export function modesFor(roles: readonly Role[]): ModeEntry[] {
  const modes: ModeEntry[] = [{ id: 'review', label: 'Review', hint: 'The alert queue' }];
  // Admins and auditors oversee: the core shows them every sealed decision (and records it), so
  // they are never blind; second reviews are for reviewers.
  if (has(roles, 'reviewer')) modes.push({ id: 'qa', label: 'Second reviews', hint: 'Decided alerts chosen at random, to review again without seeing the first decision' });
  if (has(roles, 'auditor', 'admin')) modes.push({ id: 'audit', label: 'Audit', hint: 'QA cases, statistics, incident histories and the record' });
  return modes;
}

/** Where a person starts: an auditor who does not review starts in the auditor's mode. */
export const firstMode = (roles: readonly Role[]): Mode => (has(roles, 'reviewer', 'admin') || !roles.includes('auditor') ? 'review' : 'audit');
