import type { EarwitnessClient, PreloadApi } from '../../../src/contract/index.ts';
import { wrapPreload } from './electron.ts';
import { connectLoopback } from './loopback.ts';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in a browser on the loopback host. */
    readonly earwitness?: PreloadApi;
  }
}

/** The one place that knows there are two transports: Electron IPC when the preload is there, the loopback host otherwise. */
export async function connectClient(): Promise<EarwitnessClient> {
  if (window.earwitness) return wrapPreload(window.earwitness);
  return connectLoopback(window.location);
}
