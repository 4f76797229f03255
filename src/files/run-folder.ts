import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

const OWNER = 'owner.json';
/** A run folder without a readable owner is kept this long (it may be a run starting right now). */
const ORPHAN_GRACE_MS = 24 * 3600 * 1000;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Removes the transfer folders of core runs that are gone (a crash, a kill): their seats, uploads
 * and downloads died with them. A folder of a live process (another `earwitness serve` or the
 * desktop app on the same data folder) is left alone.
 */
export function removeDeadRuns(transfersDir: string, keep: string | null = null): void {
  if (!existsSync(transfersDir)) return;
  for (const name of readdirSync(transfersDir)) {
    const dir = join(transfersDir, name);
    if (name === keep) continue;
    let dead: boolean;
    try {
      const owner = JSON.parse(readFileSync(join(dir, OWNER), 'utf8')) as { pid?: unknown; host?: unknown };
      dead = owner.host === hostname() && typeof owner.pid === 'number' && !alive(owner.pid);
    } catch {
      try {
        dead = Date.now() - statSync(dir).mtimeMs > ORPHAN_GRACE_MS;
      } catch {
        dead = false;
      }
    }
    if (dead) rmSync(dir, { recursive: true, force: true });
  }
}

/** This run's own folder under transfers/, with the owner file that tells later runs whether it is still in use. */
export function createRunFolder(transfersDir: string): { name: string; dir: string } {
  const name = `run-${randomBytes(6).toString('hex')}`;
  const dir = join(transfersDir, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, OWNER), `${JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() })}\n`, { mode: 0o600 });
  for (const sub of ['uploads', 'downloads', 'work']) mkdirSync(join(dir, sub), { mode: 0o700 });
  return { name, dir };
}
