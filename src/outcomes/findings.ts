import { EVIDENCE_FINDINGS, EXCLUSIVE_FINDINGS, FINDING_LABELS, OUTCOME_FINDINGS, type OutcomeFinding } from '../contract/index.ts';
import { UserError } from '../util/errors.ts';

/** What an agency says responders found, checked: the same shape whichever way it arrived. */
export interface Findings {
  findings: OutcomeFinding[];
  arrests: number;
  firearms: number;
}

/** At most this many arrests or firearms on one incident: more is a typing slip, not a report. */
export const MAX_COUNT = 100;

/**
 * Checks a report's findings and counts, refusing contradictions rather than guessing: "nothing
 * found" or "unfounded" with evidence, an arrest count without the arrest finding, and so on.
 * An arrest or a firearm ticked without a count counts as one. Findings come back in the
 * vocabulary's order, each once.
 */
export function checkFindings(input: { findings: readonly string[]; arrests?: number | null; firearms?: number | null }): Findings {
  const given = new Set(input.findings);
  if (given.size === 0) throw new UserError('invalid_input', 'say what was found: at least one finding (nothing_found if nothing)');
  for (const f of given) {
    if (!(OUTCOME_FINDINGS as readonly string[]).includes(f))
      throw new UserError('invalid_input', `unknown finding ${JSON.stringify(f.slice(0, 40))}; one of ${OUTCOME_FINDINGS.join(', ')}`);
  }
  const findings = OUTCOME_FINDINGS.filter((f) => given.has(f));
  const exclusive = findings.filter((f) => EXCLUSIVE_FINDINGS.includes(f));
  const others = findings.filter((f) => !EXCLUSIVE_FINDINGS.includes(f));
  if (exclusive.length > 0 && others.length > 0) {
    throw new UserError('invalid_input', `"${FINDING_LABELS[exclusive[0]!]}" cannot go with "${FINDING_LABELS[others[0]!]}"`);
  }
  const count = (value: number | null | undefined, finding: OutcomeFinding, what: string): number => {
    if (value !== undefined && value !== null && (!Number.isInteger(value) || value < 0 || value > MAX_COUNT)) {
      throw new UserError('invalid_input', `${what} must be a whole number from 0 to ${MAX_COUNT}`);
    }
    const ticked = findings.includes(finding);
    if (!ticked && value) throw new UserError('invalid_input', `${what} is ${value} but "${FINDING_LABELS[finding]}" is not among the findings`);
    if (ticked && value === 0) throw new UserError('invalid_input', `"${FINDING_LABELS[finding]}" is ticked but ${what} is 0`);
    return ticked ? (value ?? 1) : 0;
  };
  return { findings, arrests: count(input.arrests, 'arrest', 'arrests'), firearms: count(input.firearms, 'firearm_recovered', 'firearms') };
}

export const hasEvidence = (findings: readonly OutcomeFinding[]): boolean => findings.some((f) => EVIDENCE_FINDINGS.includes(f));
