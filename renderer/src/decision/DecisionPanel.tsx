import './decision.css';
import { useEffect, useRef } from 'react';
import { claimActive, type AlertDetail, type Claim, type Decision } from '../../../src/contract/index.ts';
import { AlertRecordActions } from '../audit/history/AlertRecordActions.tsx';
import { useClient } from '../client/context.tsx';
import { useKeys } from '../keys/useKeys.ts';
import { DeliveryStatus } from '../publish/DeliveryStatus.tsx';
import { OutcomesPanel } from '../programme/OutcomesPanel.tsx';
import { useSeat } from '../seat/SeatContext.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { DecisionForm } from './DecisionForm.tsx';
import type { DecisionInputDraft } from './draft.ts';
import { DecisionRecord } from './DecisionRecord.tsx';
import { MachineVerdict } from './MachineVerdict.tsx';
import { Corrections, useIncident, withAgencies } from './Corrections.tsx';
import { useDecide } from './useDecide.ts';

interface Props {
  alert: AlertDetail;
  /** The decision was corrected or the incident withdrawn: the alert is read again. */
  onChanged(): void;
  mode: 'review' | 'view';
  /** The claim is being confirmed (the alert was shown on N at once): a decision made now is sent once it is. */
  claiming?: boolean;
  /** performance.now() when the reviewer opened the alert: the review time counts from there. */
  openedAt: number;
  claim: Claim | null;
  onDecided(d: Decision): void;
  onUndone(c: Claim, reviewedMs: number): void;
}

/** The machine's verdict and the reviewer's: the decision form while this seat holds the alert; once decided, the record and undo. */
export function DecisionPanel({ alert, mode, claiming = false, openedAt, claim, onDecided, onUndone, onChanged }: Props) {
  const { submit, undo, busy, error } = useDecide(alert.id, openedAt, onDecided, onUndone);
  const person = useSeat().state.person;
  const client = useClient();
  const standing = alert.decisions.filter((d) => d.undoneUs === null).at(-1);
  const prefilledRounds = alert.solutions.at(-1)?.rounds || alert.machine?.rounds || 1;
  const { incident, reload } = useIncident(alert.id);
  // A decision taken while the claim is confirmed waits for it (never dropped, never sent unclaimed);
  // if another seat had the claim, this view goes and the decision with it.
  const waiting = useRef<DecisionInputDraft | null>(null);
  const decide = (d: DecisionInputDraft) => (claiming ? (waiting.current = d) : void submit(d));
  useEffect(() => {
    if (claiming || !waiting.current) return;
    const d = waiting.current;
    waiting.current = null;
    void submit(d);
  }, [claiming, submit]);
  // Undo is offered only while it can work: by its decider or an admin, before any agency has the incident.
  const mayUndo =
    standing !== undefined &&
    incident !== undefined &&
    !withAgencies(incident) &&
    (standing.decidedBy === person?.name || person?.roles.includes('admin') === true);
  const mayCorrect = person?.roles.some((r) => r === 'reviewer' || r === 'admin') ?? false;
  useKeys(alert.status === 'decided' && mayUndo ? { undo: () => void undo() } : {});
  return (
    <section className="decision-panel" aria-label="Decision" data-testid="decision-panel">
      <AlertRecordActions alertId={alert.id} label={alert.externalId} />
      <MachineVerdict alert={alert} />
      {alert.status === 'decided' && standing ? (
        <>
          <DecisionRecord decision={standing} />
          {mayCorrect && (
            <Corrections
              alertId={alert.id}
              standing={standing}
              incident={incident}
              onChanged={() => {
                reload();
                onChanged();
              }}
            />
          )}
          {mayUndo && (
            <button type="button" className="btn btn-undo" onClick={() => void undo()} disabled={busy} data-testid="undo">
              Undo this decision <kbd>U</kbd>
            </button>
          )}
          <p className="muted decision-next">
            <kbd>N</kbd> next alert
          </p>
          <div className="decision-publication">
            <DeliveryStatus client={client} alertId={alert.id} isAdmin={person?.roles.includes('admin') ?? false} />
            <OutcomesPanel client={client} alertId={alert.id} mayMakeLinks={person?.roles.some((r) => r === 'reviewer' || r === 'admin') ?? false} />
          </div>
        </>
      ) : mode === 'review' ? (
        <DecisionForm key={alert.decisions.length} alertId={alert.id} prefilledRounds={prefilledRounds} busy={busy} onSubmit={decide} />
      ) : (
        <p className="decision-locked" data-testid="view-only">
          {claimActive(claim, Date.now() * 1000) ? `${claim!.by} is reviewing this alert.` : 'Open for looking only.'} Press <kbd>N</kbd> for the next free
          alert.
        </p>
      )}
      <ErrorNote error={error} context={alert.status === 'decided' ? 'Not undone' : 'Not recorded'} />
    </section>
  );
}
