import type { Preferences } from '../../../src/contract/index.ts';

const KEY = 'earwitness.theme';

/** Sets the theme on the document; remembered on this machine so the next start (before sign-in) does not flash. */
export function applyTheme(theme: Preferences['theme']): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    /* storage may be off: the theme still applies */
  }
}

export function rememberedTheme(): Preferences['theme'] {
  try {
    return localStorage.getItem(KEY) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}
