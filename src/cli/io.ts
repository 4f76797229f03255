import type { Readable } from 'node:stream';

/**
 * Where a command reads and writes: the process's own streams when run as `earwitness`, strings
 * when a test runs it in-process. Commands never touch process.stdout or process.stderr directly.
 */
export interface CliIo {
  /** What the user asked for (tables, JSON): stdout. */
  out(text: string): void;
  /** Diagnostics, progress and errors: stderr. */
  err(text: string): void;
  stdin: Readable & { isTTY?: boolean };
  /** Progress is a rewritten line on a terminal, phase changes otherwise. */
  stderrIsTTY: boolean;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  stdin: process.stdin,
  get stderrIsTTY() {
    return process.stderr.isTTY === true;
  },
};
