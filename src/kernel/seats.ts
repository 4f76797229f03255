import type { Session } from './session.ts';

/**
 * The seats the transports have open, by their public tag: an administrator lists who is signed in
 * where (and from which address) and may end a seat. Transports add a seat when they open it and
 * remove it when its window or tab is gone; the CLI's sessions are not seats.
 */
export class SeatRegistry {
  private readonly open = new Map<string, Session>();

  add(session: Session): void {
    if (session.transport !== 'cli') this.open.set(session.tag, session);
  }

  remove(session: Session): void {
    if (this.open.get(session.tag) === session) this.open.delete(session.tag);
  }

  byTag(tag: string): Session | undefined {
    return this.open.get(tag);
  }

  list(): Session[] {
    return [...this.open.values()];
  }
}
