import { useCallback, useEffect, useState } from 'react';
import type { Agency } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { PUBLISH_CSS } from './styles.ts';
import { UnroutedQueue } from './UnroutedQueue.tsx';

/**
 * For admins, in the top bar: how many confirmed incidents no jurisdiction holds are waiting for
 * an admin to route or hold them, live, and the queue itself one click away (it also sits in the
 * administration dialog, where nobody would notice it filling up). Hidden while none waits.
 */
export function UnroutedButton() {
  const client = useClient();
  const [waiting, setWaiting] = useState(0);
  const [agencies, setAgencies] = useState<Agency[] | null>(null);
  const [open, setOpen] = useState(false);
  const count = useCallback(async () => {
    const r = await client.call('listUnrouted', { includeHeld: false });
    if (r.ok) setWaiting(r.value.incidents.length);
  }, [client]);
  useEffect(() => {
    void count();
    return client.on('incidentChanged', () => void count());
  }, [client, count]);
  useEffect(() => {
    if (!open) return;
    void client.call('listAgencies', {}).then((r) => r.ok && setAgencies(r.value.agencies));
  }, [client, open]);
  if (waiting === 0 && !open) return null;
  return (
    <>
      <button
        type="button"
        className="topbar-button topbar-unrouted"
        onClick={() => setOpen(true)}
        data-testid="open-unrouted"
        title="Confirmed incidents outside every jurisdiction: an admin routes or holds them"
      >
        Unrouted <span className="topbar-badge">{waiting}</span>
      </button>
      {open && (
        <Dialog title="Incidents outside every jurisdiction" onClose={() => setOpen(false)} testId="unrouted-dialog">
          <div className="ew-publish">
            <style>{PUBLISH_CSS}</style>
            {agencies === null ? <p className="dim">Loading the agencies…</p> : <UnroutedQueue client={client} agencies={agencies} />}
          </div>
        </Dialog>
      )}
    </>
  );
}
