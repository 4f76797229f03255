import { isAppUrl } from './urls.ts';

/**
 * Web permissions the UI may use: writing plain text to the clipboard (copy a location or an
 * alert id). No camera, microphone, geolocation, notifications, HID, serial, MIDI... A
 * review workstation holding police data asks for nothing it does not need.
 */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/** One decision for both the request and the check handlers: granted only to the bundled UI, and only from the list. */
export function permissionAllowed(permission: string, requestingUrl: string | null | undefined): boolean {
  return GRANTED_PERMISSIONS.has(permission) && typeof requestingUrl === 'string' && isAppUrl(requestingUrl);
}
