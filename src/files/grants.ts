import { basename } from 'node:path';
import { UserError } from '../util/errors.ts';
import type { Clock } from '../util/time.ts';
import { newHandle, sameSecret } from './ids.ts';
import type { TransferLimits } from './limits.ts';

export type GrantMode = 'open' | 'save';

interface Grant {
  id: string;
  sessionId: string;
  mode: GrantMode;
  purpose: string;
  paths: string[];
  expiresUs: number;
}

const GRANTS_PER_SESSION = 32;
const unknown = () => new UserError('not_found', 'no such file choice for this window (it was used or expired): choose the file again');

/**
 * What the person chose in the desktop app's native dialogs: the paths stay here, in the main
 * process's core; the page gets a grant id and the names. A grant belongs to the window's session,
 * serves only the methods of its purpose, once, within a few minutes.
 */
export class Grants {
  private readonly items = new Map<string, Grant>();

  constructor(
    private readonly limits: TransferLimits,
    private readonly clock: Clock,
  ) {}

  issue(sessionId: string, mode: GrantMode, purpose: string, paths: readonly string[]): { grantId: string; names: string[] } {
    const now = this.clock.nowUs();
    for (const g of [...this.items.values()]) if (g.expiresUs <= now) this.items.delete(g.id);
    const mine = [...this.items.values()].filter((g) => g.sessionId === sessionId);
    for (const old of mine.slice(0, Math.max(0, mine.length + 1 - GRANTS_PER_SESSION))) this.items.delete(old.id);
    const id = newHandle('gr');
    this.items.set(id, { id, sessionId, mode, purpose, paths: [...paths], expiresUs: now + this.limits.grantTtlS * 1e6 });
    return { grantId: id, names: paths.map((p) => basename(p)) };
  }

  /** The paths of a grant of this session, for a method of one of these purposes; used up by this call. */
  take(sessionId: string, grantId: string, mode: GrantMode, purposes: readonly string[]): { purpose: string; paths: string[] } {
    const g = this.items.get(grantId);
    if (!g || !sameSecret(g.sessionId, sessionId) || g.expiresUs <= this.clock.nowUs()) {
      if (g && g.expiresUs <= this.clock.nowUs()) this.items.delete(g.id);
      throw unknown();
    }
    if (g.mode !== mode || !purposes.includes(g.purpose)) {
      throw new UserError(
        'invalid_input',
        `this file was chosen ${g.mode === 'open' ? 'to open' : 'to save'} as ${g.purpose}, not for this (${mode} ${purposes.join(' or ')})`,
      );
    }
    this.items.delete(g.id);
    return { purpose: g.purpose, paths: g.paths };
  }

  forgetSession(sessionId: string): void {
    for (const g of [...this.items.values()]) if (g.sessionId === sessionId) this.items.delete(g.id);
  }
}
