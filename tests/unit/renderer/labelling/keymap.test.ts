import { describe, expect, it } from 'vitest';
import { actionFor, type KeyInput } from '../../../../renderer/src/keys/keymap.ts';
import { ALL_HOTKEYS, hotkeyOf, hotkeyText, LABEL_BINDINGS, LABEL_KEY_GROUPS } from '../../../../renderer/src/labelling/keymap.ts';
import { nextToDo } from '../../../../renderer/src/labelling/clip-order.ts';

const press = (key: string, o: Partial<KeyInput> = {}): KeyInput => ({ key, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...o });
const act = (key: string, o: Partial<KeyInput> = {}) => actionFor(press(key, o), LABEL_BINDINGS);

describe('the labelling keys', () => {
  it("read digits as the taxonomy's hotkeys, where the seat's table reads them as decisions", () => {
    expect(act('1')).toBe('hotkey1');
    expect(act('9')).toBe('hotkey9');
    expect(hotkeyOf('hotkey7')).toBe(7);
    expect(hotkeyOf('fit')).toBeNull();
    expect(actionFor(press('1'))).toBe('class:gunfire_single');
  });

  it('move the cursor in steps, edges with Ctrl, the whole selection with < and >', () => {
    expect(act('ArrowLeft')).toBe('cursorBack');
    expect(act('ArrowRight', { shiftKey: true })).toBe('cursorForwardFar');
    expect(act('ArrowLeft', { ctrlKey: true })).toBe('startEarlier');
    expect(act('ArrowRight', { ctrlKey: true, shiftKey: true })).toBe('endLater');
    expect(act('ArrowRight', { metaKey: true })).toBe('startLater');
    expect(act('<', { shiftKey: true })).toBe('moveEarlier');
    expect(act('>')).toBe('moveLater');
    expect(act(']')).toBe('nextPulse');
    expect(act('ArrowDown')).toBe('nextLabel');
  });

  it('tell I from Shift I, take Caps Lock letters, and leave Alt and browser shortcuts alone', () => {
    expect(act('i')).toBe('startAtCursor');
    expect(act('I')).toBe('startAtCursor');
    expect(act('I', { shiftKey: true })).toBe('cursorToStart');
    expect(act('O', { shiftKey: true })).toBe('cursorToEnd');
    expect(act('z')).toBe('zoomIn');
    expect(act('Z', { shiftKey: true })).toBe('zoomOut');
    expect(act('z', { ctrlKey: true })).toBe('undo');
    expect(act('1', { altKey: true })).toBeNull();
    expect(act('s', { ctrlKey: true })).toBeNull();
    expect(act('r', { ctrlKey: true })).toBeNull();
  });

  it('redo beside undo (Ctrl Shift Z, Ctrl Y), a second bank of class keys after 0, and the clip keys', () => {
    expect(act('z', { ctrlKey: true })).toBe('undo');
    expect(act('Z', { ctrlKey: true, shiftKey: true })).toBe('redo');
    expect(act('z', { ctrlKey: true, shiftKey: true })).toBe('redo');
    expect(act('y', { ctrlKey: true })).toBe('redo');
    expect(act('Y', { metaKey: true })).toBe('redo');
    expect(act('0')).toBe('secondBank');
    expect(hotkeyText(3)).toBe('3');
    expect(hotkeyText(12)).toBe('0 3');
    expect(ALL_HOTKEYS).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    expect(act('n')).toBe('nextToDo');
    expect(act('D')).toBe('clipDone');
    expect(act('k')).toBe('clipSkipped');
  });

  it('give every chord one action, every action a key, and every row a group the overlay shows', () => {
    const seen = new Map<string, string>();
    for (const b of LABEL_BINDINGS) {
      expect(b.label.length, b.action).toBeGreaterThan(3);
      expect(LABEL_KEY_GROUPS).toContain(b.group);
      for (const c of b.chords) {
        const id = `${c.key}|${c.shift ?? '-'}|${c.ctrl ?? false}`;
        expect(seen.get(id), `${id} is bound twice`).toBeUndefined();
        seen.set(id, b.action);
        // Each chord reaches its own action (no earlier row shadows it).
        expect(actionFor({ key: c.key, shiftKey: c.shift ?? false, ctrlKey: c.ctrl ?? false, metaKey: false, altKey: false }, LABEL_BINDINGS)).toBe(b.action);
      }
    }
    expect(new Set(LABEL_BINDINGS.map((b) => b.action)).size).toBe(LABEL_BINDINGS.length);
  });
});

describe('the next clip to do', () => {
  const clips = [1, 2, 3, 4].map((id) => ({ id }));
  it('is the next one still to do after the open clip, wrapping round, or none', () => {
    expect(nextToDo(clips, new Map(), 1)).toBe(2);
    expect(
      nextToDo(
        clips,
        new Map([
          [2, 'done'],
          [3, 'skipped'],
        ]),
        1,
      ),
    ).toBe(4);
    expect(
      nextToDo(
        clips,
        new Map([
          [2, 'done'],
          [3, 'skipped'],
        ]),
        4,
      ),
    ).toBe(1);
    expect(
      nextToDo(
        clips,
        new Map([
          [1, 'done'],
          [2, 'done'],
          [3, 'skipped'],
          [4, 'done'],
        ]),
        2,
      ),
    ).toBeNull();
    expect(nextToDo(clips, new Map([[1, 'todo']]), null)).toBe(1);
    expect(nextToDo([], new Map(), null)).toBeNull();
  });
});
