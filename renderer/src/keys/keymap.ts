import { CLASS_LABELS, DECISION_CLASSES, type DecisionClass } from '../../../src/contract/index.ts';

/**
 * Every keyboard action of the seat, with the keys that trigger it. Habits of audio and review
 * tools: Space plays, arrows move, digits choose, S and M solo and mute, Z zooms. Pure, so the
 * map is tested and the `?` overlay is built from the very same table.
 */
export type KeyAction =
  | 'next'
  | 'leave'
  | 'help'
  | 'playPause'
  | 'prevPulse'
  | 'nextPulse'
  | 'toStart'
  | 'prevTrack'
  | 'nextTrack'
  | 'playTrack'
  | 'solo'
  | 'mute'
  | 'gainUp'
  | 'gainDown'
  | 'slower'
  | 'faster'
  | 'loopIn'
  | 'loopOut'
  | 'loop'
  | 'zoomIn'
  | 'zoomOut'
  | 'panLeft'
  | 'panRight'
  | 'align'
  | 'spectrogram'
  | 'largeMap'
  | `class:${DecisionClass}`
  | 'roundsUp'
  | 'roundsDown'
  | 'flagAutomatic'
  | 'flagShooters'
  | 'notes'
  | 'record'
  | 'undo'
  | 'correct'
  | 'withdraw'
  | 'nextShot'
  | 'prevShot'
  | 'nudgeEarlier'
  | 'nudgeLater'
  | 'nudgeEarlierMs'
  | 'nudgeLaterMs'
  | 'pickAtPlayhead'
  | 'toggleSensor'
  | 'saveRelocation'
  | 'discardRelocation';

/** What the key dispatcher needs of a binding: any mode's table (the labelling mode has its own) fits. */
export interface KeyTableEntry<A extends string = string> {
  action: A;
  chords: readonly KeyChord[];
}

export interface KeyChord {
  key: string;
  shift?: boolean;
  ctrl?: boolean;
}

export interface Binding {
  action: KeyAction;
  chords: KeyChord[];
  /** How the keys read in the overlay. */
  keys: string;
  label: string;
  group: 'Alerts' | 'Playback' | 'Tracks and view' | 'Picks and location' | 'Decision';
}

/** Digits 1-9 then 0 choose the classes in the taxonomy's order. */
export const CLASS_DIGITS: readonly string[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];
export const digitOf = (c: DecisionClass): string => CLASS_DIGITS[DECISION_CLASSES.indexOf(c)]!;

const k = (key: string, o: Omit<KeyChord, 'key'> = {}): KeyChord => ({ key, ...o });

export const BINDINGS: readonly Binding[] = [
  { action: 'next', chords: [k('n'), k('N', { shift: true })], keys: 'N', label: 'Next alert: the most urgent one nobody has', group: 'Alerts' },
  { action: 'leave', chords: [k('Escape')], keys: 'Esc', label: 'Give the alert back to the queue (or close a dialog)', group: 'Alerts' },
  { action: 'help', chords: [k('?', { shift: true }), k('?')], keys: '?', label: 'Show or hide these keys', group: 'Alerts' },

  { action: 'playPause', chords: [k(' ')], keys: 'Space', label: 'Play or pause all tracks, mixed', group: 'Playback' },
  { action: 'prevPulse', chords: [k('ArrowLeft')], keys: '←', label: 'Playhead to the previous pulse', group: 'Playback' },
  { action: 'nextPulse', chords: [k('ArrowRight')], keys: '→', label: 'Playhead to the next pulse', group: 'Playback' },
  { action: 'toStart', chords: [k('Home')], keys: 'Home', label: 'Playhead to the start', group: 'Playback' },
  { action: 'slower', chords: [k(','), k('<', { shift: true })], keys: ',', label: 'Slower (down to 0.25×, pitch kept)', group: 'Playback' },
  { action: 'faster', chords: [k('.'), k('>', { shift: true })], keys: '.', label: 'Faster (up to 2×, pitch kept)', group: 'Playback' },
  { action: 'loopIn', chords: [k('[')], keys: '[', label: 'Loop starts at the playhead', group: 'Playback' },
  { action: 'loopOut', chords: [k(']')], keys: ']', label: 'Loop ends at the playhead', group: 'Playback' },
  { action: 'loop', chords: [k('l'), k('L', { shift: true })], keys: 'L', label: 'Loop the selection on or off', group: 'Playback' },

  { action: 'prevTrack', chords: [k('ArrowUp')], keys: '↑', label: 'Select the track above', group: 'Tracks and view' },
  { action: 'nextTrack', chords: [k('ArrowDown')], keys: '↓', label: 'Select the track below', group: 'Tracks and view' },
  { action: 'playTrack', chords: [k('p')], keys: 'P', label: 'Play the selected sensor alone', group: 'Tracks and view' },
  { action: 'solo', chords: [k('s')], keys: 'S', label: 'Solo the selected track', group: 'Tracks and view' },
  { action: 'mute', chords: [k('m')], keys: 'M', label: 'Mute the selected track', group: 'Tracks and view' },
  { action: 'gainUp', chords: [k('ArrowUp', { shift: true })], keys: 'Shift ↑', label: 'Selected track louder (+3 dB)', group: 'Tracks and view' },
  { action: 'gainDown', chords: [k('ArrowDown', { shift: true })], keys: 'Shift ↓', label: 'Selected track softer (−3 dB)', group: 'Tracks and view' },
  { action: 'zoomIn', chords: [k('z')], keys: 'Z', label: 'Zoom in around the playhead', group: 'Tracks and view' },
  { action: 'zoomOut', chords: [k('Z', { shift: true })], keys: 'Shift Z', label: 'Zoom out', group: 'Tracks and view' },
  { action: 'panLeft', chords: [k('ArrowLeft', { shift: true })], keys: 'Shift ←', label: 'Scroll earlier', group: 'Tracks and view' },
  { action: 'panRight', chords: [k('ArrowRight', { shift: true })], keys: 'Shift →', label: 'Scroll later', group: 'Tracks and view' },
  { action: 'align', chords: [k('t')], keys: 'T', label: 'Align tracks on absolute time or on first arrival', group: 'Tracks and view' },
  { action: 'spectrogram', chords: [k('g')], keys: 'G', label: 'Spectrograms under the tracks on or off', group: 'Tracks and view' },
  { action: 'largeMap', chords: [k('v')], keys: 'V', label: 'Map large over the tracks, or back beside the decision', group: 'Tracks and view' },

  // The selected pick is the current shot's on the selected track (↑ ↓ choose the track).
  { action: 'nextShot', chords: [k('j')], keys: 'J', label: 'Next shot: its picks on the tracks', group: 'Picks and location' },
  { action: 'prevShot', chords: [k('J', { shift: true })], keys: 'Shift J', label: 'Previous shot', group: 'Picks and location' },
  { action: 'nudgeEarlier', chords: [k('ArrowLeft', { ctrl: true })], keys: 'Ctrl ←', label: 'Selected pick one sample earlier', group: 'Picks and location' },
  { action: 'nudgeLater', chords: [k('ArrowRight', { ctrl: true })], keys: 'Ctrl →', label: 'Selected pick one sample later', group: 'Picks and location' },
  {
    action: 'nudgeEarlierMs',
    chords: [k('ArrowLeft', { ctrl: true, shift: true })],
    keys: 'Ctrl Shift ←',
    label: 'Selected pick 1 ms earlier',
    group: 'Picks and location',
  },
  {
    action: 'nudgeLaterMs',
    chords: [k('ArrowRight', { ctrl: true, shift: true })],
    keys: 'Ctrl Shift →',
    label: 'Selected pick 1 ms later',
    group: 'Picks and location',
  },
  {
    action: 'pickAtPlayhead',
    chords: [k('a')],
    keys: 'A',
    label: 'Pick the selected track at the playhead (adds one the picker missed)',
    group: 'Picks and location',
  },
  { action: 'toggleSensor', chords: [k('d')], keys: 'D', label: 'Drop the selected sensor from the shot, or take it back', group: 'Picks and location' },
  {
    action: 'saveRelocation',
    chords: [k('s', { ctrl: true })],
    keys: 'Ctrl S',
    label: 'Save the re-location (a new solution version)',
    group: 'Picks and location',
  },
  { action: 'discardRelocation', chords: [k('R', { shift: true })], keys: 'Shift R', label: 'Discard the pick changes not saved', group: 'Picks and location' },

  ...DECISION_CLASSES.map((c, i): Binding => ({
    action: `class:${c}`,
    chords: [k(CLASS_DIGITS[i]!)],
    keys: CLASS_DIGITS[i]!,
    label: CLASS_LABELS[c],
    group: 'Decision',
  })),
  { action: 'roundsUp', chords: [k('+', { shift: true }), k('+'), k('=')], keys: '+', label: 'One round more', group: 'Decision' },
  { action: 'roundsDown', chords: [k('-'), k('_', { shift: true })], keys: '−', label: 'One round fewer', group: 'Decision' },
  { action: 'flagAutomatic', chords: [k('f')], keys: 'F', label: 'Flag: fully automatic fire', group: 'Decision' },
  { action: 'flagShooters', chords: [k('x')], keys: 'X', label: 'Flag: several shooters', group: 'Decision' },
  { action: 'notes', chords: [k('e')], keys: 'E', label: 'Write notes (Esc returns, Ctrl Enter records)', group: 'Decision' },
  { action: 'record', chords: [k('Enter'), k('Enter', { ctrl: true })], keys: 'Enter', label: 'Record the decision', group: 'Decision' },
  { action: 'undo', chords: [k('u'), k('z', { ctrl: true })], keys: 'U', label: 'Undo the decision (until it is published)', group: 'Decision' },
  {
    action: 'correct',
    chords: [k('c')],
    keys: 'C',
    label: 'Correct a decided alert: class, rounds or flags, with the reason (agencies get an Update)',
    group: 'Decision',
  },
  { action: 'withdraw', chords: [k('w')], keys: 'W', label: 'Withdraw a published incident, with the reason (agencies get a Cancel)', group: 'Decision' },
];

export interface KeyInput {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/**
 * The action a key press means in a table (the seat's by default), or null. Letters match in either
 * case only where the table says so (Z and Shift Z differ).
 */
export function actionFor<A extends string = KeyAction>(
  e: KeyInput,
  table: readonly KeyTableEntry<A>[] = BINDINGS as unknown as readonly KeyTableEntry<A>[],
): A | null {
  if (e.altKey) return null;
  const ctrl = e.ctrlKey || e.metaKey;
  for (const b of table) {
    for (const c of b.chords) {
      if (c.key !== e.key || (c.ctrl ?? false) !== ctrl) continue;
      // Shift only matters when the chord names it, or for keys whose shifted form is the same key (arrows, Enter, Space).
      const shiftMatters = c.shift !== undefined || e.key.length > 1 || e.key === ' ';
      if (shiftMatters && (c.shift ?? false) !== e.shiftKey) continue;
      return b.action;
    }
  }
  return null;
}
