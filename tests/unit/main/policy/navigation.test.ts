import { describe, expect, it } from 'vitest';
import { allowedExternalUrl, navigationAllowed, rendererRequestAllowed, windowOpenDecision } from '../../../../main/policy/navigation.ts';
import { permissionAllowed } from '../../../../main/policy/permissions.ts';
import { isAppUrl } from '../../../../main/policy/urls.ts';

describe('isAppUrl', () => {
  it('accepts the bundle and nothing that merely looks like it', () => {
    for (const u of ['app://app/index.html', 'app://app/', 'app://app/assets/x.js?v=1#k']) expect(isAppUrl(u), u).toBe(true);
    for (const u of [
      'app://other/index.html',
      'app://app.evil.com/',
      'app://user:pw@app/',
      'app://app:8080/',
      'https://app/',
      'file:///app/index.html',
      'clip://audio/x',
      'app:app',
      '',
      'not a url',
      'javascript:alert(1)',
    ]) {
      expect(isAppUrl(u), u).toBe(false);
    }
  });
});

describe('navigation and new windows', () => {
  it('allows navigation only within the bundle', () => {
    expect(navigationAllowed('app://app/index.html')).toBe(true);
    for (const u of [
      'https://example.com/',
      'http://127.0.0.1:8080/',
      'file:///etc/passwd',
      'data:text/html,<script>1</script>',
      'javascript:void(0)',
      'about:blank',
      'chrome://settings',
    ]) {
      expect(navigationAllowed(u), u).toBe(false);
    }
  });

  it('never opens a new window, and sends only allow-listed https pages to the system browser', () => {
    expect(windowOpenDecision('https://leafletjs.com/')).toEqual({ action: 'deny', openExternal: 'https://leafletjs.com/' });
    expect(windowOpenDecision('https://www.openstreetmap.org/copyright')).toEqual({ action: 'deny', openExternal: 'https://www.openstreetmap.org/copyright' });
    for (const u of [
      'https://www.openstreetmap.org/edit',
      'https://www.openstreetmap.org/copyrightx',
      'http://leafletjs.com/',
      'https://leafletjs.com.evil.net/',
      'https://user@leafletjs.com/',
      'https://evil.net/?https://leafletjs.com',
      'file:///etc/passwd',
      'smb://share/x',
      'app://app/index.html',
      'mailto:x@y',
    ]) {
      expect(windowOpenDecision(u), u).toEqual({ action: 'deny', openExternal: null });
      expect(allowedExternalUrl(u), u).toBeNull();
    }
  });

  it('lets the page reach its bundle, clip audio and data/blob URLs, and no network', () => {
    for (const u of ['app://app/assets/a.js', 'clip://audio/' + 'a'.repeat(64), 'data:image/png;base64,AA==', 'blob:app://app/123'])
      expect(rendererRequestAllowed(u), u).toBe(true);
    for (const u of [
      'https://tile.openstreetmap.org/1/1/1.png',
      'http://127.0.0.1:1234/',
      'ws://127.0.0.1/',
      'wss://x/',
      'file:///etc/passwd',
      'ftp://x/',
      'garbage',
    ])
      expect(rendererRequestAllowed(u), u).toBe(false);
  });
});

describe('permissions', () => {
  it('are denied by default, even to the bundle', () => {
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'midiSysex',
      'hid',
      'serial',
      'usb',
      'openExternal',
      'clipboard-read',
      'display-capture',
      'fullscreen',
      'unknown',
    ]) {
      expect(permissionAllowed(p, 'app://app/index.html'), p).toBe(false);
    }
  });
  it('grant clipboard writing to the bundle only', () => {
    expect(permissionAllowed('clipboard-sanitized-write', 'app://app/index.html')).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'app://app')).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://example.com/')).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write', undefined)).toBe(false);
  });
});
