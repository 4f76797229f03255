import { describe, expect, it } from 'vitest';
import { chooseClass, draftInput, draftProblem, newDraft, setRounds, stepRounds, toggleFlag } from '../../../renderer/src/decision/draft.ts';

describe('a decision being made', () => {
  it('starts with the rounds heard and no class, and cannot be recorded until one is chosen', () => {
    const d = newDraft(3);
    expect(d).toMatchObject({ class: null, rounds: 3 });
    expect(draftProblem(d)).toMatch(/choose/);
    expect(newDraft(0).rounds).toBe(1);
  });

  it('keeps a single shot at one round; more rounds make it multiple shots and back', () => {
    let d = chooseClass(newDraft(3), 'gunfire_single', 3);
    expect(d).toMatchObject({ class: 'gunfire_single', rounds: 1 });
    d = stepRounds(d, 1);
    expect(d).toMatchObject({ class: 'gunfire_multiple', rounds: 2 });
    d = stepRounds(stepRounds(d, -1), -1);
    expect(d).toMatchObject({ class: 'gunfire_single', rounds: 1 });
    expect(chooseClass(newDraft(5), 'gunfire_multiple', 5).rounds).toBe(5);
    expect(chooseClass(newDraft(1), 'gunfire_multiple', 1).rounds).toBe(2);
    expect(setRounds(chooseClass(newDraft(1), 'gunfire_single', 1), 7)).toMatchObject({ class: 'gunfire_multiple', rounds: 7 });
    expect(setRounds(newDraft(1), 5000).rounds).toBe(1000);
  });

  it('gives flags and rounds only to gunfire; fully automatic is more than one round', () => {
    let d = toggleFlag(chooseClass(newDraft(1), 'gunfire_single', 1), 'fullyAutomatic');
    expect(d).toMatchObject({ class: 'gunfire_multiple', rounds: 2, fullyAutomatic: true });
    d = chooseClass(toggleFlag(d, 'multipleShooters'), 'fireworks', 1);
    expect(d).toMatchObject({ fullyAutomatic: false, multipleShooters: false });
    expect(toggleFlag(d, 'multipleShooters').multipleShooters).toBe(false);
    expect(stepRounds(d, 1).rounds).toBe(d.rounds);
    expect(draftInput(d)).toEqual({ class: 'fireworks', rounds: null, flags: { fullyAutomatic: false, multipleShooters: false }, notes: '' });
  });

  it('needs notes for "other", and sends them trimmed', () => {
    const d = chooseClass(newDraft(1), 'other', 1);
    expect(draftProblem(d)).toMatch(/notes/);
    expect(draftInput({ ...d, notes: '  a door  ' }).notes).toBe('a door');
    expect(draftProblem({ ...d, notes: 'a door' })).toBeNull();
    expect(draftInput(toggleFlag(chooseClass(newDraft(2), 'probable_gunfire', 2), 'multipleShooters'))).toEqual({
      class: 'probable_gunfire',
      rounds: 2,
      flags: { fullyAutomatic: false, multipleShooters: true },
      notes: '',
    });
  });
});
