import { app, shell, type Session, type WebContents } from 'electron';
import { navigationAllowed as appNavigationAllowed, rendererRequestAllowed, windowOpenDecision } from './policy/navigation.ts';
import { permissionAllowed } from './policy/permissions.ts';
import { log } from '../src/util/log.ts';

const openExternal = (url: string | null) => {
  if (url) shell.openExternal(url).catch((e: unknown) => log.error({ url, err: e }, 'could not open a link'));
};

/**
 * Every webContents, present and future: no new windows (allow-listed links go to the system
 * browser), no navigation away from the bundle (or, at a centre, the centre's origin), no
 * redirects out, no <webview>.
 */
export function guardWebContents(navigationAllowed: (url: string) => boolean = appNavigationAllowed): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      const decision = windowOpenDecision(url);
      openExternal(decision.openExternal);
      return { action: decision.action };
    });
    contents.on('will-frame-navigate', (event) => {
      if (navigationAllowed(event.url)) return;
      event.preventDefault();
      if (event.isMainFrame) openExternal(windowOpenDecision(event.url).openExternal);
    });
    // will-frame-navigate covers the main frame too; this is the belt to its braces.
    contents.on('will-navigate', (event) => {
      if (!navigationAllowed(event.url)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => {
      if (!navigationAllowed(event.url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

/** Permissions denied unless on the short list; devices never; no network for the page; no downloads. */
export function guardSession(ses: Session, requestAllowed: (url: string) => boolean = rendererRequestAllowed): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permissionAllowed(permission, details.requestingUrl)));
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => permissionAllowed(permission, details.requestingUrl ?? requestingOrigin));
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = requestAllowed(details.url);
    if (!allowed) log.warn({ url: details.url.slice(0, 200) }, 'refused a request from the page');
    callback({ cancel: !allowed });
  });
  ses.on('will-download', (event) => event.preventDefault());
}
