import { THEMES } from '../../src/contract/index.ts';

export type Theme = (typeof THEMES)[number];

/**
 * nativeTheme.themeSource follows the signed-in person's own theme (Settings, or the View menu,
 * which sets the same preference). It must be `system` whenever their theme is: themeSource also
 * sets the page's prefers-color-scheme, which is how "As the system" finds the system's choice,
 * so pinning it to dark or light would make "As the system" show that forever. Before anyone signs
 * in it is `system` too. With two windows signed in as two people, the last one to change wins
 * (it only colours native dialogs; each page draws its own theme).
 */
export const INITIAL_THEME_SOURCE: Theme = 'system';

/** The methods that answer with the seat's state (src/contract/seat.ts): person and preferences. */
const SEAT_STATE_METHODS = new Set(['getSeat', 'createFirstAdmin', 'signIn', 'signOut', 'lockSeat', 'unlockSeat']);

/** The theme a successful call's result tells, or null when it tells none (no one signed in, or another method). */
export function themeFromResult(method: string, value: unknown): Theme | null {
  let theme: unknown;
  if (method === 'setMyPreferences') theme = (value as { theme?: unknown } | null)?.theme;
  else if (SEAT_STATE_METHODS.has(method)) {
    const seat = value as { person?: unknown; preferences?: { theme?: unknown } } | null;
    if (!seat) return null;
    theme = seat.person ? seat.preferences?.theme : INITIAL_THEME_SOURCE;
  }
  return (THEMES as readonly unknown[]).includes(theme) ? (theme as Theme) : null;
}
