import { describe, expect, it } from 'vitest';
import { DECISION_CLASSES } from '../../../src/contract/index.ts';
import { actionFor, BINDINGS, digitOf, type KeyInput } from '../../../renderer/src/keys/keymap.ts';

const press = (key: string, o: Partial<KeyInput> = {}): KeyInput => ({ key, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...o });

describe("the seat's keys", () => {
  it('follow review-tool habits: Space plays, arrows step, digits choose the class in taxonomy order', () => {
    expect(actionFor(press(' '))).toBe('playPause');
    expect(actionFor(press('ArrowRight'))).toBe('nextPulse');
    expect(actionFor(press('ArrowLeft'))).toBe('prevPulse');
    expect(actionFor(press('ArrowRight', { shiftKey: true }))).toBe('panRight');
    expect(actionFor(press('ArrowUp', { shiftKey: true }))).toBe('gainUp');
    expect(DECISION_CLASSES.map((c) => actionFor(press(digitOf(c))))).toEqual(DECISION_CLASSES.map((c) => `class:${c}`));
    expect(digitOf('not_reviewable')).toBe('0');
    expect(actionFor(press('n'))).toBe('next');
    expect(actionFor(press('N', { shiftKey: true }))).toBe('next');
    expect(actionFor(press('?', { shiftKey: true }))).toBe('help');
    expect(actionFor(press('+', { shiftKey: true }))).toBe('roundsUp');
    expect(actionFor(press('='))).toBe('roundsUp');
    expect(actionFor(press('-'))).toBe('roundsDown');
  });

  it('tell a key from its shifted and Ctrl forms where they mean different things', () => {
    expect(actionFor(press('z'))).toBe('zoomIn');
    expect(actionFor(press('Z', { shiftKey: true }))).toBe('zoomOut');
    expect(actionFor(press('z', { ctrlKey: true }))).toBe('undo');
    expect(actionFor(press('u'))).toBe('undo');
    expect(actionFor(press('Enter', { ctrlKey: true }))).toBe('record');
    // Browser and system shortcuts stay theirs.
    expect(actionFor(press('n', { ctrlKey: true }))).toBeNull();
    expect(actionFor(press('r', { ctrlKey: true }))).toBeNull();
    expect(actionFor(press('1', { altKey: true }))).toBeNull();
    expect(actionFor(press('q'))).toBeNull();
  });

  it('give every chord one action, and every action a key shown in the overlay', () => {
    const seen = new Map<string, string>();
    for (const b of BINDINGS) {
      expect(b.keys.length, b.action).toBeGreaterThan(0);
      expect(b.label.length, b.action).toBeGreaterThan(3);
      for (const c of b.chords) {
        const id = `${c.key}|${c.shift ?? '-'}|${c.ctrl ?? false}`;
        expect(seen.get(id), `${id} is bound twice`).toBeUndefined();
        seen.set(id, b.action);
      }
    }
    expect(new Set(BINDINGS.map((b) => b.action)).size).toBe(BINDINGS.length);
  });
});
