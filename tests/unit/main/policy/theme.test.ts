import { describe, expect, it } from 'vitest';
import { INITIAL_THEME_SOURCE, themeFromResult } from '../../../../main/policy/theme.ts';

const seat = (person: boolean, theme: string) => ({
  needsFirstAdmin: false,
  person: person ? { id: 1, name: 'rita' } : null,
  locked: false,
  preferences: { theme, autoNext: false },
});

describe("the desktop app's native theme source", () => {
  it('starts at system, so "As the system" sees the system before anyone signs in', () => {
    expect(INITIAL_THEME_SOURCE).toBe('system');
  });

  it("follows the signed-in person's own theme, system included (never pinned to dark or light when they chose system)", () => {
    expect(themeFromResult('setMyPreferences', { theme: 'system', autoNext: false })).toBe('system');
    expect(themeFromResult('setMyPreferences', { theme: 'light', autoNext: false })).toBe('light');
    expect(themeFromResult('signIn', seat(true, 'system'))).toBe('system');
    expect(themeFromResult('getSeat', seat(true, 'dark'))).toBe('dark');
    expect(themeFromResult('unlockSeat', seat(true, 'light'))).toBe('light');
  });

  it('goes back to system when nobody is signed in, and says nothing for other methods or odd values', () => {
    expect(themeFromResult('signOut', seat(false, 'dark'))).toBe('system');
    expect(themeFromResult('getSeat', seat(false, 'light'))).toBe('system');
    expect(themeFromResult('listAlerts', { theme: 'dark' })).toBeNull();
    expect(themeFromResult('setMyPreferences', { theme: 'sepia' })).toBeNull();
    expect(themeFromResult('getSeat', null)).toBeNull();
  });
});
