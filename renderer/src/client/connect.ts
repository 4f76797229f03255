import type { EarwitnessClient } from '../../../src/contract/index.ts';
import { electronClient, preloadApi } from './electron.ts';
import { connectLoopback } from './loopback.ts';

/** The contract, whichever transport carries it: the preload's bridge in Electron, the loopback host elsewhere. */
export async function connectClient(): Promise<EarwitnessClient> {
  const api = preloadApi();
  return api ? electronClient(api) : connectLoopback();
}
