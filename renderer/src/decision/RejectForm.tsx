import { useId, useState, type FormEvent } from 'react';
import { CLASS_LABELS, NOT_GUNFIRE_CLASSES, type DecisionClass } from '../../../src/contract/index.ts';
import type { DecisionDraft } from './useDecide.ts';

/** Reject: not gunfire, with a reason from the taxonomy; "other" needs the reason written in the notes. */
export function RejectForm({ busy, onSubmit }: { busy: boolean; onSubmit(d: DecisionDraft): void }) {
  const [reason, setReason] = useState<DecisionClass | ''>('');
  const [notes, setNotes] = useState('');
  const id = useId();
  const notesRequired = reason === 'other';
  const missing = reason === '' ? 'choose a reason' : notesRequired && notes.trim() === '' ? 'say what it was in the notes' : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (missing || busy || reason === '') return;
    onSubmit({ class: reason, rounds: null, notes: notes.trim() });
  };
  return (
    <form className="reject-form" onSubmit={submit}>
      <label htmlFor={`${id}-reason`}>Not gunfire, because it is</label>
      <select id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value as DecisionClass | '')}>
        <option value="">Choose a reason…</option>
        {NOT_GUNFIRE_CLASSES.map((c) => (
          <option key={c} value={c}>
            {CLASS_LABELS[c]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-notes`}>
        Notes {notesRequired ? <span className="required">(required)</span> : <span className="muted">(optional)</span>}
      </label>
      <textarea id={`${id}-notes`} rows={2} maxLength={4000} value={notes} onChange={(e) => setNotes(e.target.value)} required={notesRequired} />
      <button type="submit" className="btn btn-reject" disabled={missing !== null || busy} title={missing ?? undefined}>
        Reject{reason ? `: ${CLASS_LABELS[reason]}` : ''}
      </button>
    </form>
  );
}
