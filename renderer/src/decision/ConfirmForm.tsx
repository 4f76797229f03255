import { useId, useState, type FormEvent } from 'react';
import type { DecisionDraft } from './useDecide.ts';

/** Confirm as gunfire: the round count (pre-filled from the audio) chooses single or multiple shots. */
export function ConfirmForm({ initialRounds, busy, onSubmit }: { initialRounds: number; busy: boolean; onSubmit(d: DecisionDraft): void }) {
  const [rounds, setRounds] = useState(String(Math.max(1, initialRounds)));
  const id = useId();
  const n = Number(rounds);
  const valid = Number.isInteger(n) && n >= 1 && n <= 1000;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!valid || busy) return;
    onSubmit({ class: n > 1 ? 'gunfire_multiple' : 'gunfire_single', rounds: n, notes: '' });
  };
  return (
    <form className="confirm-form" onSubmit={submit}>
      <label htmlFor={`${id}-rounds`}>Rounds</label>
      <input
        id={`${id}-rounds`}
        type="number"
        min={1}
        max={1000}
        step={1}
        inputMode="numeric"
        value={rounds}
        onChange={(e) => setRounds(e.target.value)}
        aria-invalid={!valid}
      />
      <button type="submit" className="btn btn-confirm" disabled={!valid || busy}>
        Confirm gunfire
        <small>{valid ? (n > 1 ? `${n} shots` : 'single shot') : 'rounds?'}</small>
      </button>
    </form>
  );
}
