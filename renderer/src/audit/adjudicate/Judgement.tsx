import { CLASS_LABELS, NOT_GUNFIRE_CLASSES, type DecisionClass } from '../../../../src/contract/index.ts';
import { formatDuration, formatUtcDateTime } from '../../ui/format.ts';

export interface JudgementFacts {
  class: DecisionClass;
  rounds: number | null;
  flags?: { fullyAutomatic: boolean; multipleShooters: boolean };
  notes: string;
  by: string;
  atUs: number;
  reviewMs?: number;
}

/** One person's judgement of an alert, as recorded: what, who, when, how long, why. */
export function Judgement({ title, facts, testId, tone }: { title: string; facts: JudgementFacts; testId: string; tone?: 'first' | 'second' | 'verdict' }) {
  const flags = [facts.flags?.fullyAutomatic && 'fully automatic', facts.flags?.multipleShooters && 'several shooters'].filter(Boolean);
  const gun = !NOT_GUNFIRE_CLASSES.includes(facts.class);
  return (
    <section className={`judgement judgement-${tone ?? 'first'}`} data-testid={testId} aria-label={title}>
      <h3>{title}</h3>
      <div className={`judgement-class ${gun ? 'is-gunfire' : 'is-rejected'}`} data-testid={`${testId}-class`}>
        {CLASS_LABELS[facts.class]}
        {facts.rounds !== null && gun && (
          <span className="muted">
            {' '}
            · {facts.rounds} round{facts.rounds === 1 ? '' : 's'}
          </span>
        )}
      </div>
      <dl className="judgement-facts">
        {flags.length > 0 && (
          <div>
            <dt>Flags</dt>
            <dd>{flags.join(', ')}</dd>
          </div>
        )}
        <div>
          <dt>By</dt>
          <dd data-testid={`${testId}-by`}>{facts.by}</dd>
        </div>
        <div>
          <dt>At</dt>
          <dd>{formatUtcDateTime(facts.atUs)}</dd>
        </div>
        {facts.reviewMs !== undefined && (
          <div>
            <dt>Took</dt>
            <dd>{formatDuration(facts.reviewMs)}</dd>
          </div>
        )}
        <div>
          <dt>Notes</dt>
          <dd className="judgement-notes">{facts.notes || <span className="muted">none</span>}</dd>
        </div>
      </dl>
    </section>
  );
}
