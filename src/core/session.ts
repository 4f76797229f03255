import { randomUUID } from 'node:crypto';
import type { Role } from '../contract/index.ts';

export interface Actor {
  /** Stable name written on every decision and audit entry. */
  name: string;
  roles: Role[];
}

/** One seat: an Electron window or a browser tab on the host. Transports create them; handlers read them. */
export interface Session {
  readonly id: string;
  readonly transport: 'electron' | 'loopback' | 'cli';
  actor: Actor | null;
}

export const newSession = (transport: Session['transport'], actor: Actor | null): Session => ({ id: randomUUID(), transport, actor });
