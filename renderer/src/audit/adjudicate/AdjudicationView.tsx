import { useEffect, useState } from 'react';
import { CLASS_LABELS, type MethodInput } from '../../../../src/contract/index.ts';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { formatAge, formatUtcDateTime } from '../../ui/format.ts';
import { useNow } from '../../ui/useNow.ts';
import { useMethod } from '../useMethod.ts';
import { CaseView } from './CaseView.tsx';

type QaState = NonNullable<MethodInput<'listQaCases'>['state']>;

const STATES: { state: QaState; label: string; hint: string }[] = [
  { state: 'disputed', label: 'Disputed', hint: 'The blind second review differs from the decision: your verdict is needed' },
  { state: 'adjudicated', label: 'Settled', hint: 'Disputes with a verdict on record' },
  { state: 'agreed', label: 'Agreed', hint: 'The blind second review agreed with the decision' },
  { state: 'open', label: 'Waiting', hint: 'Selected for QA, the blind second review is not in yet' },
];

/** The auditor's queue of QA cases: disputed ones to settle first; the settled and agreed ones to look back at. */
export function AdjudicationView({ onHistory }: { onHistory(alertId: number): void }) {
  const [state, setState] = useState<QaState>('disputed');
  const cases = useMethod('listQaCases', { state, limit: 200 });
  // How many wait for a verdict, shown whichever list is open.
  const disputed = useMethod('listQaCases', state === 'disputed' ? null : { state: 'disputed', limit: 1000 });
  const waiting = state === 'disputed' ? cases.value?.cases.length : disputed.value?.cases.length;
  const [openId, setOpenId] = useState<number | null>(null);
  const now = useNow(10_000);
  const list = cases.value?.cases ?? [];
  // The cases name alerts by id; the auditor knows them by their id at the source.
  const alerts = useMethod('listAlerts', { status: 'decided', limit: 1000 });
  const nameOf = (id: number) => alerts.value?.alerts.find((a) => a.id === id)?.externalId ?? `Alert ${id}`;
  const open = list.find((c) => c.sample.alertId === openId) ?? null;
  // Open the first case of a list by itself, so the auditor lands on work.
  useEffect(() => {
    if (openId === null && list.length > 0) setOpenId(list[0]!.sample.alertId);
  }, [openId, list]);
  return (
    <div className="audit-split">
      <nav className="queue" aria-label="QA cases">
        <div className="queue-tabs audit-state-tabs" role="tablist">
          {STATES.map((s) => (
            <button
              key={s.state}
              type="button"
              role="tab"
              aria-selected={state === s.state}
              title={s.hint}
              onClick={() => {
                setState(s.state);
                setOpenId(null);
              }}
              data-testid={`cases-${s.state}`}
            >
              {s.label}
              {s.state === 'disputed' ? (
                <span className="count" data-testid="disputed-count">
                  {waiting ?? '…'}
                </span>
              ) : (
                state === s.state && <span className="count">{cases.value ? list.length : '…'}</span>
              )}
            </button>
          ))}
        </div>
        <ErrorNote error={cases.error} context="The cases could not be loaded" />
        {cases.value && list.length === 0 && <p className="queue-empty muted">No case here.</p>}
        <ul className="queue-list" data-testid="qa-cases">
          {list.map((c) => (
            <li key={c.sample.alertId}>
              <button
                type="button"
                className="queue-item"
                aria-current={c.sample.alertId === openId ? 'true' : undefined}
                onClick={() => setOpenId(c.sample.alertId)}
                data-testid="qa-case-item"
              >
                <span className="qi-line">
                  <span className="qi-id">{nameOf(c.sample.alertId)}</span>
                  <span className="qi-age" title={`picked for QA ${formatUtcDateTime(c.sample.sampledUs)}`}>
                    {formatAge(now - c.sample.sampledUs / 1000)} ago
                  </span>
                </span>
                <span className="qi-line qi-small case-pair">
                  <span>
                    {c.firstDecision ? `${CLASS_LABELS[c.firstDecision.class]}` : '—'} <span className="muted">{c.firstDecision?.decidedBy}</span>
                  </span>
                  <span className="muted">vs</span>
                  <span>
                    {c.review ? `${CLASS_LABELS[c.review.class]}` : 'not reviewed yet'} <span className="muted">{c.review?.reviewer}</span>
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <section className="audit-stage">
        {open ? (
          <CaseView
            key={open.sample.alertId}
            name={nameOf(open.sample.alertId)}
            qaCase={open}
            onAdjudicated={() => {
              // The case stays open, now with its verdict on record, among the adjudicated ones.
              setState('adjudicated');
              cases.reload();
              disputed.reload();
            }}
            onHistory={onHistory}
          />
        ) : (
          <div className="stage-empty">
            <div className="stage-empty-title">
              {list.length ? 'Choose a case' : state === 'disputed' ? 'No disagreement waits for a verdict' : 'Nothing here'}
            </div>
          </div>
        )}
      </section>
    </div>
  );
}
