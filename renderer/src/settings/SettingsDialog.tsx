import { useState, type FormEvent } from 'react';
import { THEMES, type ContractError, type Preferences } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { useSeat } from '../seat/SeatContext.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { WorkplaceForm } from './WorkplaceForm.tsx';

/** The person's own settings: theme, opening the next alert by itself, password. Kept by the core, so they follow the person to any seat. */
export function SettingsDialog({ onClose }: { onClose(): void }) {
  const client = useClient();
  const seat = useSeat();
  const prefs = seat.state.preferences;
  const [error, setError] = useState<ContractError | null>(null);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [changed, setChanged] = useState(false);
  const set = async (change: Partial<Preferences>) => {
    const r = await client.call('setMyPreferences', change);
    if (!r.ok) return setError(r.error);
    seat.apply({ ...seat.state, preferences: r.value });
  };
  const changePassword = async (e: FormEvent) => {
    e.preventDefault();
    const r = await client.call('changeMyPassword', { current, next });
    setCurrent('');
    setNext('');
    if (!r.ok) return setError(r.error);
    setError(null);
    setChanged(true);
  };
  return (
    <Dialog title="Settings" onClose={onClose} testId="settings-dialog">
      <section>
        <h3>Theme</h3>
        <div className="checks" role="radiogroup" aria-label="Theme">
          {THEMES.map((t) => (
            <label key={t}>
              <input type="radio" name="theme" value={t} checked={prefs.theme === t} onChange={() => void set({ theme: t })} />
              {t === 'dark' ? 'Dark (for dim review rooms)' : t === 'light' ? 'Light' : 'As the system'}
            </label>
          ))}
        </div>
      </section>
      <section>
        <h3>Queue</h3>
        <label className="checks">
          <input type="checkbox" checked={prefs.autoNext} onChange={(e) => void set({ autoNext: e.target.checked })} />
          Open the most urgent alert by itself whenever I have none open
        </label>
      </section>
      <form onSubmit={(e) => void changePassword(e)}>
        <h3>Password</h3>
        <div className="form-row">
          <label>
            Current password
            <input type="password" value={current} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" required />
          </label>
          <label>
            New password (10 characters or more)
            <input type="password" value={next} onChange={(e) => setNext(e.target.value)} autoComplete="new-password" minLength={10} required />
          </label>
          <button type="submit" className="btn small-btn">
            Change
          </button>
          {changed && <span className="ok-note">changed</span>}
        </div>
      </form>
      {/* Where the desktop app works is a machine's setting: an administrator's (the core checks it too). */}
      {seat.state.person?.roles.includes('admin') && <WorkplaceForm />}
      <ErrorNote error={error} />
    </Dialog>
  );
}
