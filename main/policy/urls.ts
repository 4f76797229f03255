/**
 * The shell's own origins. The UI is served from app://app (a standard, secure scheme, so it has
 * a real origin and `'self'` in the CSP means exactly the bundle); audio from clip://audio.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
export const CLIP_SCHEME = 'clip';
export const CLIP_HOST = 'audio';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for URLs of the bundled UI (app://app/...), and nothing else: not app://other, not app:/app, not a look-alike. */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return !!u && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '' && u.port === '';
}

export { parse as parseUrl };
