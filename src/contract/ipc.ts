/**
 * Names the Electron transport shares between main, the preload and the renderer. Kept free of
 * zod so the sandboxed preload bundles to a few kilobytes: it imports only this file, and gets
 * the method and event names inlined at build time (scripts/build-main.mjs).
 */
export const IPC_CHANNEL_PREFIX = 'earwitness:';
export const IPC_EVENT_CHANNEL = 'earwitness-event';

/** Clip audio in Electron is streamed by the clip:// protocol, host `audio`. */
export const electronClipUrl = (sha256: string): string => `clip://audio/${sha256}`;
