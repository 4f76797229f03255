import { useClient } from '../client/context.tsx';
import { UnroutedButton } from '../publish/UnroutedButton.tsx';
import { useSeat } from '../seat/SeatContext.tsx';
import { ImportAlerts } from './ImportAlerts.tsx';
import type { Mode, ModeEntry } from './modes.ts';
import { useStatus } from './useStatus.ts';

interface Props {
  /** The modes this person may switch between (more than one shows tabs), the current one, and how to switch. */
  modes?: { entries: ModeEntry[]; current: Mode; badges?: Partial<Record<Mode, number>>; onMode(m: Mode): void };
  onHelp(): void;
  onPeople(): void;
  onSettings(): void;
  /** Where the outcome of an alert import is told (the review's notice line); none hides the import. */
  onImported?(message: string): void;
}

/** The window's top line: the product, who is signed in with which roles, what this seat is connected to, and the seat's menu. */
export function TopBar({ modes, onHelp, onPeople, onSettings, onImported }: Props) {
  const client = useClient();
  const status = useStatus();
  const seat = useSeat();
  const person = seat.state.person;
  return (
    <header className="topbar">
      <span className="brand">Earwitness</span>
      {modes && modes.entries.length > 1 ? (
        <nav className="topbar-modes" aria-label="Mode">
          {modes.entries.map((m) => (
            <button
              key={m.id}
              type="button"
              className="topbar-mode"
              aria-current={modes.current === m.id ? 'page' : undefined}
              title={m.hint}
              onClick={() => modes.onMode(m.id)}
              data-testid={`mode-${m.id}`}
            >
              {m.label}
              {(modes.badges?.[m.id] ?? 0) > 0 && <span className="topbar-badge">{modes.badges![m.id]}</span>}
            </button>
          ))}
        </nav>
      ) : (
        <span className="topbar-title">Review</span>
      )}
      <span className="topbar-spacer" />
      {status?.demo.running && (
        <span className="pill pill-demo" title="a simulated sensor network is producing alerts">
          demo feed
        </span>
      )}
      {client.transport === 'electron' || location.protocol !== 'https:' ? (
        <span className="topbar-item" title={status ? `data folder: ${status.dataDir}` : undefined}>
          {client.transport === 'electron' ? 'desktop' : 'browser · this machine'}
        </span>
      ) : (
        <span className="topbar-item" title={`a seat of the review centre at ${location.host}`}>
          centre
        </span>
      )}
      <span className="topbar-item" data-testid="actor" title={person ? `signed in as ${person.name}` : undefined}>
        {person ? (
          <>
            <strong>{person.displayName}</strong> <span className="topbar-roles">{person.roles.join(' · ') || 'no role'}</span>
          </>
        ) : (
          'not signed in'
        )}
      </span>
      <nav className="topbar-menu" aria-label="Seat">
        <button type="button" className="topbar-button" onClick={onHelp} title="Keyboard keys (?)">
          Keys <kbd>?</kbd>
        </button>
        {onImported && person?.roles.some((r) => r === 'reviewer' || r === 'trainer' || r === 'admin') && <ImportAlerts onOutcome={onImported} />}
        {person?.roles.includes('admin') && <UnroutedButton />}
        {person?.roles.includes('admin') && (
          <button type="button" className="topbar-button" onClick={onPeople} data-testid="open-people">
            People
          </button>
        )}
        <button type="button" className="topbar-button" onClick={onSettings} data-testid="open-settings">
          Settings
        </button>
        <button type="button" className="topbar-button" onClick={() => void seat.lock()} title="Lock this seat now">
          Lock
        </button>
        <button type="button" className="topbar-button" onClick={() => void seat.signOut()} data-testid="sign-out">
          Sign out
        </button>
      </nav>
    </header>
  );
}
