import type { KeyChord } from '../keys/keymap.ts';

/**
 * The labelling mode's keys: its own table (digits label here, where the seat's digits decide),
 * read by the same dispatcher and listed by the same `?` overlay. Every action of the labelling
 * view has a key, so a trainer can label a whole clip without the mouse. Pure, so it is tested.
 */
export type LabelKeyAction =
  | 'help'
  | 'leave'
  | 'playPause'
  | 'loopSelection'
  | 'slower'
  | 'faster'
  | 'cursorBack'
  | 'cursorForward'
  | 'cursorBackFar'
  | 'cursorForwardFar'
  | 'toStart'
  | 'toEnd'
  | 'prevPulse'
  | 'nextPulse'
  | 'prevLabel'
  | 'nextLabel'
  | 'startAtCursor'
  | 'endAtCursor'
  | 'selectPulse'
  | 'cursorToStart'
  | 'cursorToEnd'
  | 'startEarlier'
  | 'startLater'
  | 'endEarlier'
  | 'endLater'
  | 'moveEarlier'
  | 'moveLater'
  | 'band'
  | `hotkey${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}`
  | 'secondBank'
  | 'deleteLabel'
  | 'undo'
  | 'redo'
  | 'zoomIn'
  | 'zoomOut'
  | 'fit'
  | 'spectrogram'
  | 'nextClip'
  | 'prevClip'
  | 'nextToDo'
  | 'clipDone'
  | 'clipSkipped'
  | 'taxonomy'
  | 'export';

export type LabelKeyGroup = 'Cursor' | 'Selection' | 'Labels' | 'Clips' | 'Playback and view';
export const LABEL_KEY_GROUPS: readonly LabelKeyGroup[] = ['Cursor', 'Selection', 'Labels', 'Clips', 'Playback and view'];

export interface LabelBinding {
  action: LabelKeyAction;
  chords: KeyChord[];
  keys: string;
  label: string;
  group: LabelKeyGroup;
}

export const HOTKEYS = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;
export type HotkeyDigit = (typeof HOTKEYS)[number];
/** Every class key: the digits, then the second bank (0, then a digit) as 10-18. */
export const ALL_HOTKEYS = [...HOTKEYS, ...HOTKEYS.map((d) => d + 9)] as const;
/** How a class key reads: `3`, or `0 3` for the second bank's 12. */
export const hotkeyText = (hotkey: number): string => (hotkey <= 9 ? String(hotkey) : `0 ${hotkey - 9}`);

const k = (key: string, o: Omit<KeyChord, 'key'> = {}): KeyChord => ({ key, ...o });
const both = (key: string): KeyChord[] => [k(key), k(key.toUpperCase(), { shift: false })];

export const LABEL_BINDINGS: readonly LabelBinding[] = [
  { action: 'cursorBack', chords: [k('ArrowLeft')], keys: '←', label: 'Cursor one step earlier (zoom in: finer steps)', group: 'Cursor' },
  { action: 'cursorForward', chords: [k('ArrowRight')], keys: '→', label: 'Cursor one step later', group: 'Cursor' },
  { action: 'cursorBackFar', chords: [k('ArrowLeft', { shift: true })], keys: 'Shift ←', label: 'Cursor ten steps earlier', group: 'Cursor' },
  { action: 'cursorForwardFar', chords: [k('ArrowRight', { shift: true })], keys: 'Shift →', label: 'Cursor ten steps later', group: 'Cursor' },
  { action: 'prevPulse', chords: [k('[')], keys: '[', label: 'Cursor to the previous pulse', group: 'Cursor' },
  { action: 'nextPulse', chords: [k(']')], keys: ']', label: 'Cursor to the next pulse', group: 'Cursor' },
  { action: 'toStart', chords: [k('Home')], keys: 'Home', label: 'Cursor to the clip\u2019s start', group: 'Cursor' },
  { action: 'toEnd', chords: [k('End')], keys: 'End', label: 'Cursor to the clip\u2019s end', group: 'Cursor' },

  { action: 'selectPulse', chords: both('s'), keys: 'S', label: 'Select the pulse at the cursor', group: 'Selection' },
  { action: 'startAtCursor', chords: both('i'), keys: 'I', label: 'Start at the cursor', group: 'Selection' },
  { action: 'endAtCursor', chords: both('o'), keys: 'O', label: 'End at the cursor', group: 'Selection' },
  { action: 'cursorToStart', chords: [k('I', { shift: true })], keys: 'Shift I', label: 'Cursor to its start', group: 'Selection' },
  { action: 'cursorToEnd', chords: [k('O', { shift: true })], keys: 'Shift O', label: 'Cursor to its end', group: 'Selection' },
  { action: 'startEarlier', chords: [k('ArrowLeft', { ctrl: true })], keys: 'Ctrl ←', label: 'Start one step earlier', group: 'Selection' },
  { action: 'startLater', chords: [k('ArrowRight', { ctrl: true })], keys: 'Ctrl →', label: 'Start one step later', group: 'Selection' },
  { action: 'endEarlier', chords: [k('ArrowLeft', { ctrl: true, shift: true })], keys: 'Ctrl ⇧ ←', label: 'End one step earlier', group: 'Selection' },
  { action: 'endLater', chords: [k('ArrowRight', { ctrl: true, shift: true })], keys: 'Ctrl ⇧ →', label: 'End one step later', group: 'Selection' },
  { action: 'moveEarlier', chords: [k('<')], keys: '<', label: 'Move it one step earlier', group: 'Selection' },
  { action: 'moveLater', chords: [k('>')], keys: '>', label: 'Move it one step later', group: 'Selection' },
  { action: 'band', chords: both('b'), keys: 'B', label: 'Type times or a band (Enter applies)', group: 'Selection' },
  { action: 'leave', chords: [k('Escape')], keys: 'Esc', label: 'Drop the selection or let go of the label', group: 'Selection' },

  ...HOTKEYS.map((d): LabelBinding => ({ action: `hotkey${d}`, chords: [k(String(d))], keys: String(d), label: `Label it with class ${d}`, group: 'Labels' })),
  { action: 'secondBank', chords: [k('0')], keys: '0, then 1-9', label: 'Label it with class 10-18 (the second bank of keys)', group: 'Labels' },
  { action: 'prevLabel', chords: [k('ArrowUp')], keys: '↑', label: 'Previous label', group: 'Labels' },
  { action: 'nextLabel', chords: [k('ArrowDown')], keys: '↓', label: 'Next label', group: 'Labels' },
  { action: 'deleteLabel', chords: [k('Delete'), k('Backspace')], keys: 'Del', label: 'Delete the chosen label', group: 'Labels' },
  {
    action: 'undo',
    chords: [k('z', { ctrl: true, shift: false }), k('Z', { ctrl: true, shift: false })],
    keys: 'Ctrl Z',
    label: 'Undo the last label change',
    group: 'Labels',
  },
  {
    action: 'redo',
    chords: [k('Z', { ctrl: true, shift: true }), k('z', { ctrl: true, shift: true }), k('y', { ctrl: true }), k('Y', { ctrl: true, shift: false })],
    keys: 'Ctrl ⇧ Z, Ctrl Y',
    label: 'Redo what undo took back',
    group: 'Labels',
  },

  { action: 'nextToDo', chords: both('n'), keys: 'N', label: 'Next clip still to do (yours)', group: 'Clips' },
  { action: 'clipDone', chords: both('d'), keys: 'D', label: 'Mark this clip done, then the next to do', group: 'Clips' },
  { action: 'clipSkipped', chords: both('k'), keys: 'K', label: 'Skip this clip, then the next to do', group: 'Clips' },

  { action: 'playPause', chords: [k(' ')], keys: 'Space', label: 'Play or pause at the cursor', group: 'Playback and view' },
  { action: 'loopSelection', chords: both('l'), keys: 'L', label: 'Loop the selection, or stop', group: 'Playback and view' },
  { action: 'slower', chords: [k(',')], keys: ',', label: 'Slower (pitch kept)', group: 'Playback and view' },
  { action: 'faster', chords: [k('.')], keys: '.', label: 'Faster (pitch kept)', group: 'Playback and view' },

  { action: 'zoomIn', chords: [k('z')], keys: 'Z', label: 'Zoom in around the cursor', group: 'Playback and view' },
  { action: 'zoomOut', chords: [k('Z', { shift: true })], keys: 'Shift Z', label: 'Zoom out', group: 'Playback and view' },
  { action: 'fit', chords: both('f'), keys: 'F', label: 'Fit the selection (or the clip)', group: 'Playback and view' },
  { action: 'spectrogram', chords: both('g'), keys: 'G', label: 'Spectrogram on or off', group: 'Playback and view' },
  { action: 'nextClip', chords: [k('PageDown')], keys: 'PgDn', label: 'Next clip', group: 'Clips' },
  { action: 'prevClip', chords: [k('PageUp')], keys: 'PgUp', label: 'Previous clip', group: 'Clips' },
  { action: 'taxonomy', chords: both('t'), keys: 'T', label: 'Edit the classes', group: 'Playback and view' },
  { action: 'export', chords: both('e'), keys: 'E', label: 'Export the project', group: 'Playback and view' },
  { action: 'help', chords: [k('?', { shift: true }), k('?')], keys: '?', label: 'These keys', group: 'Playback and view' },
];

/** The digit a hotkey action stands for. */
export const hotkeyOf = (action: LabelKeyAction): HotkeyDigit | null => (action.startsWith('hotkey') ? (Number(action.slice(6)) as HotkeyDigit) : null);
