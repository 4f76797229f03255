import './decision.css';
import type { AlertDetail, Decision } from '../../../src/contract/index.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { ConfirmForm } from './ConfirmForm.tsx';
import { DecisionRecord } from './DecisionRecord.tsx';
import { MachineVerdict } from './MachineVerdict.tsx';
import { RejectForm } from './RejectForm.tsx';
import { useDecide } from './useDecide.ts';

interface Props {
  alert: AlertDetail;
  /** performance.now() when the reviewer opened the alert: the review time counts from there. */
  openedAt: number;
  onDecided(d: Decision): void;
}

/** The machine's verdict and the reviewer's: confirm as gunfire or reject with a reason; once decided, the record. */
export function DecisionPanel({ alert, openedAt, onDecided }: Props) {
  const { submit, busy, error } = useDecide(alert.id, openedAt, onDecided);
  const standing = alert.decisions.filter((d) => d.undoneUs === null).at(-1);
  const initialRounds = alert.solutions.at(-1)?.rounds || alert.machine?.rounds || 1;
  return (
    <section className="decision-panel" aria-label="Decision">
      <MachineVerdict alert={alert} />
      {alert.status === 'decided' && standing ? (
        <DecisionRecord decision={standing} />
      ) : (
        <div className="decision-forms" aria-busy={busy}>
          <ConfirmForm initialRounds={initialRounds} busy={busy} onSubmit={(d) => void submit(d)} />
          <RejectForm busy={busy} onSubmit={(d) => void submit(d)} />
          <ErrorNote error={error} context="Not recorded" />
        </div>
      )}
    </section>
  );
}
