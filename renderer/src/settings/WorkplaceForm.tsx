import { useState, type FormEvent } from 'react';
import type { ContractError } from '../../../src/contract/index.ts';
import { useSeat } from '../seat/SeatContext.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';

/**
 * Desktop app only: work at a review centre instead of on this computer. The address and whether
 * the centre signs its certificate with its own CA (the native dialog then asks for the PEM file)
 * go to the core, which checks them, keeps the choice and restarts the app into the centre's UI.
 * Nothing on this computer is deleted: File > Work on this computer comes back to it.
 */
export function WorkplaceForm() {
  // From the seat, not the page's client context: on the first run there is no signed-in page yet.
  const { client } = useSeat();
  const [origin, setOrigin] = useState('https://');
  const [privateCa, setPrivateCa] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const [restarting, setRestarting] = useState(false);
  if (client.transport !== 'electron') return null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await client.call('setWorkplace', { kind: 'centre', origin, privateCa });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    setRestarting(r.value.restarting);
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Work at a review centre" data-testid="workplace-form">
      <h3>Work at a review centre</h3>
      <p className="muted">This app becomes a seat of the centre: people sign in there, and its queue is the centre&apos;s. What is on this computer stays.</p>
      <label>
        The centre&apos;s address
        <input
          type="url"
          inputMode="url"
          value={origin}
          onChange={(e) => setOrigin(e.target.value)}
          placeholder="https://review.example"
          pattern="https://.+"
          required
          spellCheck={false}
        />
      </label>
      <label className="checks">
        <input type="checkbox" checked={privateCa} onChange={(e) => setPrivateCa(e.target.checked)} />
        Its certificate is signed by the centre&apos;s own CA (you will be asked for the CA&apos;s PEM file)
      </label>
      <ErrorNote error={error} context="The centre was not set" />
      {restarting ? (
        <p role="status">Restarting into the centre…</p>
      ) : (
        <button type="submit" className="btn" disabled={busy || origin.length <= 'https://'.length}>
          Connect to this centre and restart
        </button>
      )}
    </form>
  );
}
