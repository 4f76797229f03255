import { useState, type FormEvent } from 'react';
import type { ContractError, SeatState } from '../../../src/contract/index.ts';
import { WorkplaceForm } from '../settings/WorkplaceForm.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { useSeat } from './SeatContext.tsx';

function Field({ label, ...input }: { label: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className="seat-field">
      <span>{label}</span>
      <input {...input} />
    </label>
  );
}

/** Sign in to this seat. */
export function SignInForm() {
  const { client, apply } = useSeat();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const r = await client.call('signIn', { name, password });
    setBusy(false);
    if (r.ok) return apply(r.value);
    setError(r.error);
    setPassword('');
  };
  return (
    <form className="seat-card" onSubmit={(e) => void submit(e)} aria-label="Sign in" data-testid="sign-in">
      <h1>Sign in to review</h1>
      <Field label="Name" name="username" autoComplete="username" autoFocus value={name} onChange={(e) => setName(e.target.value)} required />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        required
      />
      <ErrorNote error={error} />
      <button type="submit" className="btn btn-primary" disabled={busy || !name || !password}>
        Sign in
      </button>
    </form>
  );
}

/** The first run: nobody exists yet, so this seat creates the first administrator. */
export function FirstAdminForm() {
  const { client, apply } = useSeat();
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const mismatch = again !== '' && again !== password;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || mismatch) return;
    setBusy(true);
    const r = await client.call('createFirstAdmin', { name, displayName: displayName || name, password });
    setBusy(false);
    if (r.ok) apply(r.value as SeatState);
    else setError(r.error);
  };
  return (
    <>
      <form className="seat-card" onSubmit={(e) => void submit(e)} aria-label="Create the first administrator" data-testid="first-admin">
        <h1>Welcome to Earwitness</h1>
        <p className="muted">Nobody has an account yet. Create the first administrator: they add the reviewers, trainers and auditors and set their roles.</p>
        <Field label="Sign-in name" autoComplete="username" autoFocus value={name} onChange={(e) => setName(e.target.value)} required />
        <Field label="Full name" autoComplete="name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        <Field
          label="Password (10 characters or more)"
          type="password"
          autoComplete="new-password"
          minLength={10}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <Field
          label="Password again"
          type="password"
          autoComplete="new-password"
          value={again}
          onChange={(e) => setAgain(e.target.value)}
          aria-invalid={mismatch}
          required
        />
        {mismatch && <p className="seat-hint">The two passwords differ.</p>}
        <ErrorNote error={error} />
        <button type="submit" className="btn btn-primary" disabled={busy || mismatch || password.length < 10 || !name}>
          Create administrator and sign in
        </button>
      </form>
      {client.transport === 'electron' && (
        <details className="seat-card seat-workplace">
          <summary>Or work at a review centre instead</summary>
          <WorkplaceForm />
        </details>
      )}
    </>
  );
}
