import type { AlertDetail, RejectedCandidate } from '../../../src/contract/index.ts';

export type OnLineCandidate = Extract<RejectedCandidate, { kind: 'on-line' }>;

/** The machine's newest solution's rounds whose times fit only a line (a reviewer's versions carry none). */
export function unlocatedRounds(solutions: AlertDetail['solutions']): OnLineCandidate[] {
  const machine = solutions.filter((s) => s.origin === 'machine').at(-1);
  return (machine?.rejected ?? []).filter((r) => r.kind === 'on-line');
}
