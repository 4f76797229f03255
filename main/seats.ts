import type { BrowserWindow, WebContents } from 'electron';
import type { Core } from '../src/core/core.ts';
import type { Session } from '../src/kernel/session.ts';

/**
 * One seat per window: the core session that window's calls run as. A call from a webContents
 * with no seat (a window we did not open) is refused before it reaches the core.
 */
export class Seats {
  private readonly byContents = new Map<number, { session: Session; window: BrowserWindow }>();

  constructor(private readonly core: Core) {}

  open(window: BrowserWindow): Session {
    const session = this.core.openSession('electron');
    const id = window.webContents.id;
    this.byContents.set(id, { session, window });
    window.once('closed', () => {
      this.byContents.delete(id);
      void this.core.closeSession(session); // its claim goes back to the queue now, not when the lease runs out
    });
    return session;
  }

  sessionOf(contents: WebContents): Session | undefined {
    return this.byContents.get(contents.id)?.session;
  }

  windowOf(session: Session): BrowserWindow | undefined {
    for (const s of this.byContents.values()) if (s.session.id === session.id) return s.window;
    return undefined;
  }

  windows(): BrowserWindow[] {
    return [...this.byContents.values()].map((s) => s.window).filter((w) => !w.isDestroyed());
  }
}
