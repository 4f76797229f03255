import { useId, useState } from 'react';
import {
  CLASS_LABELS,
  DECISION_CLASSES,
  NOT_GUNFIRE_CLASSES,
  type ContractError,
  type DecisionClass,
  type MethodOutput,
} from '../../../../src/contract/index.ts';
import { useClient } from '../../client/context.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';

type Adjudicated = MethodOutput<'adjudicateQa'>;

interface Props {
  alertId: number;
  first: { class: DecisionClass; rounds: number | null; by: string };
  second: { class: DecisionClass; rounds: number | null; by: string };
  onRecorded(r: Adjudicated): void;
}

const gunfire = (c: DecisionClass | null) => c !== null && !NOT_GUNFIRE_CLASSES.includes(c);

/**
 * The auditor's verdict on a disputed case: which class the audio shows (one of the two
 * judgements, or a third), the rounds for gunfire, and the reasons, which are required: a
 * verdict without reasons cannot be defended later. Both judgements stay on record beside it.
 */
export function VerdictForm({ alertId, first, second, onRecorded }: Props) {
  const client = useClient();
  const id = useId();
  const [cls, setCls] = useState<DecisionClass | null>(null);
  const [rounds, setRounds] = useState<number>(first.rounds ?? second.rounds ?? 1);
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const choose = (c: DecisionClass, r: number | null = null) => {
    setCls(c);
    if (r !== null) setRounds(r);
    else if (c === 'gunfire_single') setRounds(1);
  };
  const upholds =
    cls === null
      ? null
      : cls === first.class
        ? `upholds the first decision (${first.by})`
        : cls === second.class
          ? `upholds the second review (${second.by})`
          : 'differs from both';
  const submit = async () => {
    if (!cls || !notes.trim() || busy) return;
    setBusy(true);
    const r = await client.call('adjudicateQa', { alertId, class: cls, rounds: gunfire(cls) ? rounds : null, notes: notes.trim() });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    onRecorded(r.value);
  };
  return (
    <form
      className="judgement judgement-verdict verdict-form"
      data-testid="verdict-form"
      aria-label="Your verdict"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>Your verdict</h3>
      <div className="verdict-shortcuts">
        <button type="button" className="btn" aria-pressed={cls === first.class} onClick={() => choose(first.class, first.rounds)} data-testid="uphold-first">
          Uphold first <small>{CLASS_LABELS[first.class]}</small>
        </button>
        <button
          type="button"
          className="btn"
          aria-pressed={cls === second.class}
          onClick={() => choose(second.class, second.rounds)}
          data-testid="uphold-second"
        >
          Uphold second <small>{CLASS_LABELS[second.class]}</small>
        </button>
      </div>
      <div className="verdict-other">
        <label htmlFor={`${id}-class`}>or another class</label>
        <select id={`${id}-class`} value={cls ?? ''} onChange={(e) => choose(e.target.value as DecisionClass)} data-testid="verdict-class">
          <option value="" disabled>
            choose
          </option>
          {DECISION_CLASSES.map((c) => (
            <option key={c} value={c}>
              {CLASS_LABELS[c]}
            </option>
          ))}
        </select>
        {gunfire(cls) && (
          <label className="verdict-rounds">
            Rounds
            <input
              type="number"
              min={cls === 'gunfire_multiple' ? 2 : 1}
              max={1000}
              value={rounds}
              disabled={cls === 'gunfire_single'}
              onChange={(e) => setRounds(Math.max(1, Math.min(1000, Math.round(Number(e.target.value)) || 1)))}
            />
          </label>
        )}
      </div>
      <label htmlFor={`${id}-notes`}>
        Reasons <span className="required">(required, kept on record)</span>
      </label>
      <textarea
        id={`${id}-notes`}
        rows={2}
        maxLength={4000}
        value={notes}
        onChange={(e) => setNotes(e.target.value)}
        data-testid="verdict-notes"
        placeholder="What in the audio decides it"
      />
      {upholds && (
        <p className="muted verdict-upholds" data-testid="verdict-upholds">
          This verdict {upholds}.
        </p>
      )}
      <button type="submit" className="btn btn-record" disabled={!cls || !notes.trim() || busy} data-testid="record-verdict">
        Record the verdict
      </button>
      <ErrorNote error={error} context="Not recorded" />
    </form>
  );
}
