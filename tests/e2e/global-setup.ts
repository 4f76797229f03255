import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findBrowser } from '../support/browser.ts';
import { buildCli } from '../support/build-cli.ts';
import { NODE, REPO } from '../support/host.ts';

/** The newest modification time under a folder (0 when it does not exist). */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * The host serves dist/renderer: rebuild it when the renderer or the contract changed since the
 * last build, so an end-to-end run never tests a stale UI.
 */
export default function globalSetup(): void {
  const browser = findBrowser();
  console.log(`browser: ${browser.executablePath} (${browser.source})`);
  // The host every spec drives is the compiled `earwitness serve`: built from these sources, always.
  buildCli();
  const built = join(REPO, 'dist/renderer/index.html');
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
  const sourcesAt = Math.max(newest(join(REPO, 'renderer')), newest(join(REPO, 'src/contract')));
  if (builtAt >= sourcesAt) return;
  console.log(builtAt ? 'the renderer changed since its last build: building it' : 'the renderer is not built: building it');
  execFileSync(NODE, [join(REPO, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: REPO, stdio: 'inherit' });
}
