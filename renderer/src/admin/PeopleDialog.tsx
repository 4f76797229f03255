import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ROLES, type Account, type ContractError, type Role } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { useSeat } from '../seat/SeatContext.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { formatUtcDateTime } from '../ui/format.ts';
import { AgenciesAdmin } from '../publish/AgenciesAdmin.tsx';
import { MapSettingsForm } from './MapSettingsForm.tsx';
import { OpenSeats } from './OpenSeats.tsx';
import { PublishIdentityForm } from './PublishIdentityForm.tsx';
import { SourcesForm } from './SourcesForm.tsx';
import { IntakeKeysForm } from './IntakeKeysForm.tsx';
import { SeatSettingsForm } from './SeatSettingsForm.tsx';

function RoleChecks({ roles, onChange, name }: { roles: readonly Role[]; onChange(r: Role[]): void; name: string }) {
  return (
    <span className="checks">
      {ROLES.map((r) => (
        <label key={r}>
          <input
            type="checkbox"
            aria-label={`${name}: ${r}`}
            checked={roles.includes(r)}
            onChange={(e) => onChange(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))}
          />
          {r}
        </label>
      ))}
    </span>
  );
}

function AddPerson({ onAdded }: { onAdded(): void }) {
  const client = useClient();
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<Role[]>(['reviewer']);
  const [error, setError] = useState<ContractError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await client.call('createAccount', { name, displayName: displayName || name, password, roles });
    if (!r.ok) return setError(r.error);
    setError(null);
    setName('');
    setDisplayName('');
    setPassword('');
    onAdded();
  };
  return (
    <form onSubmit={(e) => void submit(e)} data-testid="add-person">
      <h3>Add a person</h3>
      <div className="form-row">
        <label>
          Sign-in name
          <input value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" />
        </label>
        <label>
          Full name
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="off" />
        </label>
        <label>
          First password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} minLength={10} required autoComplete="new-password" />
        </label>
        <RoleChecks roles={roles} onChange={setRoles} name="new person" />
        <button type="submit" className="btn small-btn">
          Add
        </button>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}

function PasswordReset({ account, onDone }: { account: Account; onDone(): void }) {
  const client = useClient();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ContractError | null>(null);
  return (
    <form
      className="form-row"
      onSubmit={(e) => {
        e.preventDefault();
        void client.call('setAccountPassword', { accountId: account.id, password }).then((r) => (r.ok ? onDone() : setError(r.error)));
      }}
    >
      <input
        type="password"
        aria-label={`new password for ${account.name}`}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        minLength={10}
        required
        autoComplete="new-password"
      />
      <button type="submit" className="btn small-btn">
        Set
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

/** People and their roles, and the seat settings: the administrator's desk. Every change is checked and audited by the core. */
export function PeopleDialog({ onClose }: { onClose(): void }) {
  const client = useClient();
  const me = useSeat().state.person;
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [error, setError] = useState<ContractError | null>(null);
  const [resetting, setResetting] = useState<number | null>(null);
  const load = useCallback(async () => {
    const r = await client.call('listAccounts', {});
    if (r.ok) setAccounts(r.value.accounts);
    else setError(r.error);
  }, [client]);
  useEffect(() => void load(), [load]);
  const change = async (p: Promise<{ ok: boolean; error?: ContractError }>) => {
    const r = await p;
    setError(r.ok ? null : (r.error ?? null));
    await load();
  };
  return (
    <Dialog title="Administration: people, seat settings, publishing, agencies" onClose={onClose} testId="people-dialog">
      <section>
        <h3>People</h3>
        <ErrorNote error={error} />
        <table className="people-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Roles</th>
              <th>Last sign-in</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id} className={a.disabled ? 'is-disabled' : undefined} data-testid="person-row" data-name={a.name}>
                <td>
                  <strong>{a.displayName}</strong>{' '}
                  <span className="muted">
                    {a.name}
                    {a.id === me?.id ? ' (you)' : ''}
                  </span>
                  {a.disabled && <span className="muted"> · disabled</span>}
                </td>
                <td>
                  <RoleChecks roles={a.roles} name={a.name} onChange={(roles) => void change(client.call('setAccountRoles', { accountId: a.id, roles }))} />
                </td>
                <td className="muted">{a.lastSignInUs ? formatUtcDateTime(a.lastSignInUs) : 'never'}</td>
                <td>
                  {resetting === a.id ? (
                    <PasswordReset account={a} onDone={() => setResetting(null)} />
                  ) : (
                    <span className="form-row">
                      <button type="button" className="btn small-btn" onClick={() => setResetting(a.id)}>
                        New password
                      </button>
                      <button
                        type="button"
                        className="btn small-btn"
                        onClick={() => void change(client.call('setAccountDisabled', { accountId: a.id, disabled: !a.disabled }))}
                      >
                        {a.disabled ? 'Enable' : 'Disable'}
                      </button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <AddPerson onAdded={() => void load()} />
      <OpenSeats />
      <SeatSettingsForm />
      <MapSettingsForm />
      <PublishIdentityForm />
      <SourcesForm />
      <IntakeKeysForm />
      <section>
        <h3>Agencies</h3>
        <AgenciesAdmin client={client} />
      </section>
    </Dialog>
  );
}
