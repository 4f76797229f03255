import { useId, useRef, useState } from 'react';
import { CLASS_LABELS, DECISION_CLASSES, NOT_GUNFIRE_CLASSES, type DecisionClass } from '../../../src/contract/index.ts';
import { digitOf } from '../keys/keymap.ts';
import { useKeys } from '../keys/useKeys.ts';
import { RoutePreview } from '../publish/RoutePreview.tsx';
import {
  chooseClass,
  describesGunfire,
  draftInput,
  draftProblem,
  newDraft,
  setRounds,
  stepRounds,
  toggleFlag,
  type DecisionInputDraft,
  type Draft,
} from './draft.ts';

interface Props {
  /** The alert being decided: where a gunfire decision would be published is shown before it is recorded. Left out for blind QA reviews, which publish nothing. */
  alertId?: number;
  prefilledRounds: number;
  busy: boolean;
  onSubmit(d: DecisionInputDraft): void;
  /** A correction: the decision as it stands, which the draft must differ from (and starts from, unless `start` says otherwise). */
  correcting?: Draft;
  /** Where the draft starts (a QA verdict to apply). */
  start?: Draft;
  /** The notes are required (a correction's reason): what to ask for when they are empty. */
  notesRequired?: string;
  /** The record button's verb ("Record", "Correct"). */
  verb?: string;
}

/** Short names for the buttons (the full label is the button's title and the record's wording). */
const SHORT: Record<DecisionClass, string> = {
  gunfire_single: 'Single shot',
  gunfire_multiple: 'Multiple shots',
  probable_gunfire: 'Probable gunfire',
  fireworks: 'Fireworks',
  firecracker: 'Firecracker',
  vehicle_backfire: 'Vehicle backfire',
  construction_impact: 'Construction, impact',
  aircraft: 'Helicopter, aircraft',
  other: 'Other',
  not_reviewable: 'Not reviewable',
};

/**
 * The decision: what it is (every class of the taxonomy, a digit each), the rounds pre-filled
 * from the audio, the flags, notes; recorded with Enter. Every control has its key.
 */
export function DecisionForm({ alertId, prefilledRounds, busy, onSubmit, correcting, start, notesRequired, verb = 'Record' }: Props) {
  const [draft, setDraftState] = useState(() => start ?? correcting ?? newDraft(prefilledRounds));
  // The latest draft, updated with every change before React renders it: keys pressed faster
  // than a frame (a digit then Enter) still record what they chose.
  const latest = useRef(draft);
  const setDraft = (f: (d: Draft) => Draft) => {
    latest.current = f(latest.current);
    setDraftState(latest.current);
  };
  const [tried, setTried] = useState(false);
  const notes = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const rules = { notesRequired, unchangedFrom: correcting };
  const problem = draftProblem(draft, rules);
  const gun = describesGunfire(draft.class);
  const record = () => {
    setTried(true);
    const now = latest.current;
    if (draftProblem(now, rules)) {
      if (now.class === 'other' || (notesRequired && now.notes.trim() === '')) notes.current?.focus();
      return;
    }
    if (!busy) onSubmit(draftInput(now));
  };
  const choose = (c: DecisionClass) => setDraft((d) => chooseClass(d, c, prefilledRounds));
  useKeys({
    ...Object.fromEntries(DECISION_CLASSES.map((c) => [`class:${c}`, () => choose(c)])),
    roundsUp: () => setDraft((d) => stepRounds(d, 1)),
    roundsDown: () => setDraft((d) => stepRounds(d, -1)),
    flagAutomatic: () => setDraft((d) => toggleFlag(d, 'fullyAutomatic')),
    flagShooters: () => setDraft((d) => toggleFlag(d, 'multipleShooters')),
    notes: () => notes.current?.focus(),
    record,
  });
  const classButton = (c: DecisionClass) => (
    <button
      key={c}
      type="button"
      role="radio"
      aria-checked={draft.class === c}
      className={`class-choice ${NOT_GUNFIRE_CLASSES.includes(c) ? 'is-reject' : 'is-gun'}`}
      onClick={() => choose(c)}
      data-class={c}
      title={CLASS_LABELS[c]}
      aria-label={CLASS_LABELS[c]}
    >
      <kbd>{digitOf(c)}</kbd> {SHORT[c]}
    </button>
  );
  return (
    <form
      className="decision-form"
      data-testid="decision-form"
      onSubmit={(e) => {
        e.preventDefault();
        record();
      }}
    >
      <div className="class-grid" role="radiogroup" aria-label="What it is: gunfire (1-3) or not gunfire (4-0)">
        {DECISION_CLASSES.map(classButton)}
      </div>
      <div className="decision-details" aria-disabled={!gun}>
        <div className="rounds" role="group" aria-label="Rounds">
          <label htmlFor={`${id}-rounds`}>Rounds</label>
          <button
            type="button"
            className="step"
            onClick={() => setDraft((d) => stepRounds(d, -1))}
            disabled={!gun && draft.class !== null}
            aria-label="One round fewer (−)"
          >
            −
          </button>
          <input
            id={`${id}-rounds`}
            type="number"
            min={1}
            max={1000}
            value={draft.rounds}
            disabled={!gun && draft.class !== null}
            onChange={(e) => setDraft((d) => setRounds(d, Number(e.target.value)))}
            data-testid="rounds"
          />
          <button
            type="button"
            className="step"
            onClick={() => setDraft((d) => stepRounds(d, 1))}
            disabled={!gun && draft.class !== null}
            aria-label="One round more (+)"
          >
            +
          </button>
          <span className="muted rounds-hint">{prefilledRounds > 0 ? `${prefilledRounds} heard` : ''}</span>
        </div>
        <label className="flag">
          <input type="checkbox" checked={draft.fullyAutomatic} disabled={!gun} onChange={() => setDraft((d) => toggleFlag(d, 'fullyAutomatic'))} />
          Fully automatic <kbd>F</kbd>
        </label>
        <label className="flag">
          <input type="checkbox" checked={draft.multipleShooters} disabled={!gun} onChange={() => setDraft((d) => toggleFlag(d, 'multipleShooters'))} />
          Several shooters <kbd>X</kbd>
        </label>
      </div>
      <label htmlFor={`${id}-notes`} className="notes-label">
        {notesRequired ? 'Why' : 'Notes'} <kbd>E</kbd>{' '}
        {notesRequired ? (
          <span className="required">(required: sent to the agencies that have it)</span>
        ) : draft.class === 'other' ? (
          <span className="required">(required for “other”)</span>
        ) : (
          <span className="muted">(optional)</span>
        )}
      </label>
      <textarea
        id={`${id}-notes`}
        ref={notes}
        rows={2}
        maxLength={4000}
        value={draft.notes}
        onChange={(e) => setDraft((d) => ({ ...d, notes: e.target.value }))}
        data-testid="notes"
      />
      {alertId !== undefined && <RoutePreview alertId={alertId} cls={draft.class} />}
      <button type="submit" className={`btn btn-record ${gun ? 'btn-confirm' : draft.class ? 'btn-reject' : ''}`} disabled={busy} data-testid="record">
        {draft.class ? `${verb} · ${SHORT[draft.class]}${gun ? `, ${draft.rounds} round${draft.rounds === 1 ? '' : 's'}` : ''}` : verb} <kbd>Enter</kbd>
      </button>
      {tried && problem && (
        <p className="decision-problem" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
