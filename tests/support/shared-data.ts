import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/** The real recordings of ../shared/data, read in place (never copied into the repo). */
export const SHARED_DATA = process.env.EARWITNESS_SHARED_DATA ?? fileURLToPath(new URL('../../../shared/data', import.meta.url));
export const hasSharedData = existsSync(SHARED_DATA);

/** describe() that skips, saying why, where the shared data folder is absent. */
export function describeIfSharedData(name: string, fn: () => void): void {
  if (!hasSharedData) {
    console.warn(`skipping "${name}": ${SHARED_DATA} is absent (the real recordings live beside the repo in ../shared/data)`);
    describe.skip(name, fn);
  } else describe(name, fn);
}
