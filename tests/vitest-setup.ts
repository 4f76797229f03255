import { buildCli } from './support/build-cli.ts';

/** Vitest's global setup: the compiled command the spawn tests run is built from the sources of this run. */
export default function setup(): void {
  buildCli();
}
