import type { Role } from '../../../src/contract/index.ts';

/** The seat's modes, each its own top-bar entry: reviewing alerts, labelling clips, blind second reviews, auditing, the floor a supervisor watches. */
export type Mode = 'review' | 'labelling' | 'qa' | 'audit' | 'supervision';

export interface ModeEntry {
  id: Mode;
  label: string;
  hint: string;
}

const has = (roles: readonly Role[], ...any: Role[]) => any.some((r) => roles.includes(r));

/** The modes a person's roles open, in top-bar order. Everyone may look at the queue. */
export function modesFor(roles: readonly Role[]): ModeEntry[] {
  const modes: ModeEntry[] = [{ id: 'review', label: 'Review', hint: 'The alert queue' }];
  if (has(roles, 'trainer', 'admin')) modes.push({ id: 'labelling', label: 'Labelling', hint: 'Label pulses in clips and export data sets' });
  // Admins and auditors oversee: the core shows them every sealed decision (and records it), so
  // they are never blind; second reviews are for reviewers.
  if (has(roles, 'reviewer'))
    modes.push({ id: 'qa', label: 'Second reviews', hint: 'Decided alerts chosen at random, to review again without seeing the first decision' });
  if (has(roles, 'auditor', 'admin')) modes.push({ id: 'audit', label: 'Audit', hint: 'QA cases, statistics, incident histories and the record' });
  if (has(roles, 'auditor', 'admin'))
    modes.push({ id: 'supervision', label: 'Floor', hint: 'The queue, every seat and the decisions per hour against the time budget, live' });
  return modes;
}

/** Where a person starts: on the queue if they review; else a trainer on their projects, an auditor in the auditor's mode. */
export function firstMode(roles: readonly Role[]): Mode {
  if (has(roles, 'reviewer', 'admin')) return 'review';
  if (roles.includes('trainer')) return 'labelling';
  if (roles.includes('auditor')) return 'audit';
  return 'review';
}
