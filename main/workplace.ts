import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workplace } from '../src/kernel/desktop-bridge.ts';
import { log } from '../src/util/log.ts';
import { CENTRE_CA_FILE, parseWorkplace, WORKPLACE_FILE, workplaceText, type StoredWorkplace } from './policy/workplace.ts';

/** The workplace the app starts into, from the data folder; a missing or bad file means this computer. */
export function readWorkplace(dataDir: string): Workplace & { problem?: string } {
  const file = join(dataDir, WORKPLACE_FILE);
  const parsed = parseWorkplace(existsSync(file) ? readFileSync(file, 'utf8') : null);
  if (!parsed.ok) {
    log.warn({ reason: parsed.reason }, 'the workplace file is not valid: working on this computer');
    return { kind: 'local', problem: parsed.reason };
  }
  const w = parsed.workplace;
  if (w.kind === 'local') return w;
  const caFile = join(dataDir, CENTRE_CA_FILE);
  if (w.privateCa && !existsSync(caFile)) {
    const problem = `${WORKPLACE_FILE} names a private CA but ${CENTRE_CA_FILE} is missing`;
    log.warn({ problem }, 'working on this computer');
    return { kind: 'local', problem };
  }
  return { kind: 'centre', origin: w.origin, caPem: w.privateCa ? readFileSync(caFile, 'utf8') : null };
}

/** Keeps the choice: the CA first, then the choice itself, each written whole (a temporary file renamed over). */
export function saveWorkplace(dataDir: string, w: Workplace): void {
  const caFile = join(dataDir, CENTRE_CA_FILE);
  const stored: StoredWorkplace = w.kind === 'local' ? { kind: 'local' } : { kind: 'centre', origin: w.origin, privateCa: w.caPem !== null };
  if (w.kind === 'centre' && w.caPem !== null) writeWhole(caFile, w.caPem);
  writeWhole(join(dataDir, WORKPLACE_FILE), workplaceText(stored));
  if (w.kind === 'local' || w.caPem === null) rmSync(caFile, { force: true });
}

function writeWhole(path: string, text: string): void {
  const partial = `${path}.partial`;
  writeFileSync(partial, text, { mode: 0o600 });
  chmodSync(partial, 0o600);
  renameSync(partial, path);
}
