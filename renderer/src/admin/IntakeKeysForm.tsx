import { useCallback, useEffect, useState } from 'react';
import type { ContractError, IntakeKey } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { formatUtcDateTime } from '../ui/format.ts';

/**
 * The keys sensor networks push alerts with (POST /intake/v1/alerts, `earwitness push`): issue
 * one for a source (shown once, here, never again), see when each last brought an alert in,
 * revoke one. The core keeps only each key's hash.
 */
export function IntakeKeysForm() {
  const client = useClient();
  const [keys, setKeys] = useState<IntakeKey[]>([]);
  const [source, setSource] = useState('');
  const [note, setNote] = useState('');
  const [shown, setShown] = useState<{ id: number; source: string; secret: string } | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const load = useCallback(async () => {
    const r = await client.call('listIntakeKeys', {});
    if (r.ok) setKeys(r.value.keys);
    else setError(r.error);
  }, [client]);
  useEffect(() => void load(), [load]);
  const issue = async () => {
    const r = await client.call('issueIntakeKey', { source, ...(note.trim() ? { note } : {}) });
    setError(r.ok ? null : r.error);
    if (r.ok) {
      setShown({ id: r.value.key.id, source: r.value.key.source, secret: r.value.secret });
      setSource('');
      setNote('');
    }
    await load();
  };
  const revoke = async (id: number) => {
    const r = await client.call('revokeIntakeKey', { id });
    setError(r.ok ? null : r.error);
    if (shown?.id === id) setShown(null);
    await load();
  };
  return (
    <section data-testid="intake-keys">
      <h3>Intake keys</h3>
      <p className="muted">A sensor network pushes its alerts with its own key, good for its source only. A key is shown once, when issued.</p>
      <ErrorNote error={error} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void issue();
        }}
      >
        <input aria-label="source of the new key" placeholder="source, e.g. north-city" value={source} onChange={(e) => setSource(e.target.value)} />{' '}
        <input aria-label="note" placeholder="note (optional)" value={note} onChange={(e) => setNote(e.target.value)} />{' '}
        <button type="submit" disabled={source.trim() === ''} data-testid="intake-key-issue">
          Issue key
        </button>
      </form>
      {shown && (
        <p data-testid="intake-key-shown">
          Key {shown.id} for {shown.source}, shown only now:{' '}
          <input readOnly size={48} value={shown.secret} aria-label="the new key" onFocus={(e) => e.target.select()} />
        </p>
      )}
      <table className="people-table">
        <thead>
          <tr>
            <th>Key</th>
            <th>Source</th>
            <th>Issued</th>
            <th>Last used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id} data-testid="intake-key-row" data-key-id={k.id} data-revoked={k.revokedUs !== null}>
              <td>
                {k.id}
                {k.note && <span className="muted"> · {k.note}</span>}
              </td>
              <td>{k.source}</td>
              <td className="muted">
                {formatUtcDateTime(k.issuedUs)} by {k.issuedBy}
              </td>
              <td className="muted">{k.lastUsedUs === null ? 'never' : formatUtcDateTime(k.lastUsedUs)}</td>
              <td>
                {k.revokedUs === null ? (
                  <button type="button" onClick={() => void revoke(k.id)} aria-label={`revoke key ${k.id}`}>
                    Revoke
                  </button>
                ) : (
                  <span className="muted">
                    revoked {formatUtcDateTime(k.revokedUs)} by {k.revokedBy}
                  </span>
                )}
              </td>
            </tr>
          ))}
          {keys.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                No keys issued.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
