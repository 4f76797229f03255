export type KeyVerdict = 'act' | 'ignore' | 'leave-field';

/**
 * Who gets a key: the seat's action, the focused element (a text field being typed in, Enter on
 * a button), or, for Esc in a text field, leaving the field. Ctrl Enter in the notes records.
 */
export function routeKey(e: { target: EventTarget | null; ctrlKey: boolean; metaKey: boolean }, action: string | null): KeyVerdict {
  if (!action) return 'ignore';
  const target = e.target;
  if (!(target instanceof Element)) return 'act';
  if (target.closest('input, textarea, select, [contenteditable="true"], .leaflet-container') !== null) {
    if (action === 'leave') return 'leave-field';
    return action === 'record' && (e.ctrlKey || e.metaKey) && target instanceof HTMLTextAreaElement ? 'act' : 'ignore';
  }
  // Enter on a focused button or link activates it, as everywhere.
  if (action === 'record' && target.closest('button:not([role="radio"]), a, summary') !== null) return 'ignore';
  // Lists with their own arrow keys (the queue) keep up and down.
  if ((action === 'prevTrack' || action === 'nextTrack') && target.closest('[data-own-arrows]') !== null) return 'ignore';
  return 'act';
}
