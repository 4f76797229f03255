import { protocol } from 'electron';
import type { Core } from '../src/core/core.ts';
import { APP_SCHEME, CLIP_SCHEME } from './policy/urls.ts';
import { appResponder, clipResponder } from './responders.ts';

/**
 * Must run before the app is ready, and only once (a second call replaces the first). app:// is
 * standard and secure so the UI has a real origin and module scripts load; clip:// streams so
 * media elements seek with Range requests instead of buffering whole files.
 */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } },
    { scheme: CLIP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true } },
  ]);
}

/** app:// serves the built renderer; clip:// streams clip audio from the content-addressed store. */
export function handleProtocols(core: Core, rendererDir: string): void {
  protocol.handle(APP_SCHEME, appResponder(rendererDir));
  protocol.handle(CLIP_SCHEME, clipResponder(core));
}
