import { isGunfire, NOT_GUNFIRE_CLASSES, type Decision, type DecisionClass, type MethodInput } from '../../../src/contract/index.ts';

/**
 * The decision being made, before it is recorded: the class, the round count (pre-filled from
 * the audio), the flags and the notes. The rules keep them consistent as the reviewer types:
 * a single shot is one round, two or more are multiple shots; flags and rounds only describe
 * gunfire. Pure, so every rule is tested; the core checks the same rules again.
 */
export interface Draft {
  class: DecisionClass | null;
  rounds: number;
  fullyAutomatic: boolean;
  multipleShooters: boolean;
  notes: string;
}

export type DecisionInputDraft = Omit<MethodInput<'decide'>, 'alertId' | 'reviewMs'>;

export const MAX_ROUNDS = 1000;

export const newDraft = (prefilledRounds: number): Draft => ({
  class: null,
  rounds: Math.min(MAX_ROUNDS, Math.max(1, Math.round(prefilledRounds) || 1)),
  fullyAutomatic: false,
  multipleShooters: false,
  notes: '',
});

/** A correction starts from the decision as it stands; the notes (its reason) start empty. */
export const draftFromDecision = (d: Pick<Decision, 'class' | 'rounds' | 'flags'>): Draft => ({
  class: d.class,
  rounds: Math.min(MAX_ROUNDS, Math.max(1, d.rounds ?? 1)),
  fullyAutomatic: d.flags.fullyAutomatic,
  multipleShooters: d.flags.multipleShooters,
  notes: '',
});

/** Whether rounds and flags apply to a class (they describe gunfire, probable or not). */
export const describesGunfire = (c: DecisionClass | null): boolean => c !== null && !NOT_GUNFIRE_CLASSES.includes(c);

export function chooseClass(d: Draft, c: DecisionClass, prefilledRounds: number): Draft {
  if (c === 'gunfire_single') return { ...d, class: c, rounds: 1, fullyAutomatic: false };
  if (c === 'gunfire_multiple') return { ...d, class: c, rounds: Math.max(2, d.rounds > 1 ? d.rounds : prefilledRounds) };
  if (c === 'probable_gunfire') return { ...d, class: c };
  return { ...d, class: c, fullyAutomatic: false, multipleShooters: false };
}

/** One round more or fewer; on gunfire the class follows the count (one is a single shot). */
export const stepRounds = (d: Draft, by: 1 | -1): Draft => setRounds(d, d.rounds + by);

/** A typed round count, kept within bounds; on gunfire the class follows it. */
export function setRounds(d: Draft, rounds: number): Draft {
  if (!Number.isFinite(rounds) || (!describesGunfire(d.class) && d.class !== null)) return d;
  const r = Math.min(MAX_ROUNDS, Math.max(1, Math.round(rounds)));
  if (d.class === 'gunfire_single' || d.class === 'gunfire_multiple') {
    const cls = r > 1 ? 'gunfire_multiple' : 'gunfire_single';
    return { ...d, rounds: r, class: cls, fullyAutomatic: cls === 'gunfire_single' ? false : d.fullyAutomatic };
  }
  return { ...d, rounds: r };
}

export function toggleFlag(d: Draft, flag: 'fullyAutomatic' | 'multipleShooters'): Draft {
  if (!describesGunfire(d.class)) return d;
  const next = { ...d, [flag]: !d[flag] };
  // Fully automatic fire is more than one round.
  if (flag === 'fullyAutomatic' && next.fullyAutomatic && next.rounds < 2)
    return { ...next, rounds: 2, class: d.class === 'gunfire_single' ? 'gunfire_multiple' : d.class };
  return next;
}

/**
 * Why the draft cannot be recorded yet, in the reviewer's words, or null. A correction needs its
 * reason in the notes (`notesRequired` says what to write) and a change from what stands.
 */
export function draftProblem(d: Draft, o: { notesRequired?: string; unchangedFrom?: Draft } = {}): string | null {
  if (d.class === null) return 'choose what it is (1-9, 0)';
  if (o.unchangedFrom && sameJudgement(d, o.unchangedFrom)) return 'change the class, rounds or flags: this is what stands';
  if (o.notesRequired && d.notes.trim() === '') return o.notesRequired;
  if (d.class === 'other' && d.notes.trim() === '') return 'say what it was in the notes (E)';
  return null;
}

const sameJudgement = (a: Draft, b: Draft): boolean => {
  const x = a.class === null ? null : draftInput(a);
  const y = b.class === null ? null : draftInput(b);
  return JSON.stringify(x && { ...x, notes: '' }) === JSON.stringify(y && { ...y, notes: '' });
};

export function draftInput(d: Draft): DecisionInputDraft {
  if (d.class === null) throw new Error('no class chosen');
  const gun = describesGunfire(d.class);
  return {
    class: d.class,
    rounds: gun ? d.rounds : null,
    flags: { fullyAutomatic: gun && d.fullyAutomatic, multipleShooters: gun && d.multipleShooters },
    notes: d.notes.trim(),
  };
}

export const isConfirmation = (c: DecisionClass | null): boolean => c !== null && (isGunfire(c) || c === 'probable_gunfire');
