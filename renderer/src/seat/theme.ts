import type { Preferences } from '../../../src/contract/index.ts';

const KEY = 'earwitness.theme';
let followSystem: (() => void) | null = null;

/**
 * Sets the theme on the document (`system` follows the operating system's light or dark, live);
 * remembered on this machine so the next start (before sign-in) does not flash.
 */
export function applyTheme(theme: Preferences['theme']): void {
  followSystem?.();
  followSystem = null;
  if (theme === 'system') {
    const query = matchMedia('(prefers-color-scheme: light)');
    const set = () => (document.documentElement.dataset.theme = query.matches ? 'light' : 'dark');
    set();
    query.addEventListener('change', set);
    followSystem = () => query.removeEventListener('change', set);
  } else document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    /* storage may be off: the theme still applies */
  }
}

export function rememberedTheme(): Preferences['theme'] {
  try {
    const t = localStorage.getItem(KEY);
    return t === 'light' || t === 'system' ? t : 'dark';
  } catch {
    return 'dark';
  }
}
