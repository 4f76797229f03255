import { parseArgs } from 'node:util';

export interface ShellArgs {
  /** --data DIR (or --data=DIR); the core resolves it against EARWITNESS_DATA and the platform default. */
  data: string | undefined;
  /** The demo sensor network runs unless --no-demo. */
  demo: boolean;
}

/**
 * The shell's own options among everything Electron and Chromium put on the command line
 * (`electron . --data X`, a packaged `earwitness --data X`, Playwright's `--inspect=0 ...`).
 * Unknown switches belong to Chromium and are left alone.
 */
export function parseShellArgs(argv: readonly string[]): ShellArgs {
  const { values } = parseArgs({
    args: [...argv],
    strict: false,
    allowPositionals: true,
    options: { data: { type: 'string' }, 'no-demo': { type: 'boolean' } },
  });
  const data = typeof values.data === 'string' && values.data.length > 0 ? values.data : undefined;
  return { data, demo: values['no-demo'] !== true };
}
