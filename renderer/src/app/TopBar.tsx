import { useClient } from '../client/context.tsx';
import { useStatus } from './useStatus.ts';

/** The window's top line: the product, who is reviewing, and what this seat is connected to. */
export function TopBar() {
  const client = useClient();
  const status = useStatus();
  return (
    <header className="topbar">
      <span className="brand">Earwitness</span>
      <span className="topbar-title">Review</span>
      <span className="topbar-spacer" />
      {status?.demo.running && <span className="pill pill-demo" title="a simulated sensor network is producing alerts">demo feed</span>}
      <span className="topbar-item" title={status ? `data folder: ${status.dataDir}` : undefined}>
        {client.transport === 'electron' ? 'desktop' : 'browser · loopback host'}
      </span>
      <span className="topbar-item" data-testid="actor">
        {status?.actor ? <>Reviewer <strong>{status.actor.name}</strong></> : 'not signed in'}
      </span>
    </header>
  );
}
