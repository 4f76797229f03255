import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { isGunfire, type ContractError, type Decision, type Incident } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { useKeys } from '../keys/useKeys.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { DecisionForm } from './DecisionForm.tsx';
import { draftFromDecision, type Draft } from './draft.ts';

/** Whether an incident is with some agency (what the core's undo refuses): then only a correction or a withdrawal changes it. */
export const withAgencies = (i: Incident | null | undefined): boolean => !!i && i.state !== 'cancelled' && i.agencies.length > 0;

/** The alert's incident, kept current by the live events. */
export function useIncident(alertId: number): { incident: Incident | null | undefined; reload(): void } {
  const client = useClient();
  const [incident, setIncident] = useState<Incident | null | undefined>(undefined);
  const reload = useCallback(() => {
    void client.call('getIncident', { alertId }).then((r) => setIncident(r.ok ? r.value : null));
  }, [client, alertId]);
  useEffect(() => {
    reload();
    return client.on('incidentChanged', ({ incident: i }) => {
      if (i.alertId === alertId) setIncident(i);
    });
  }, [client, alertId, reload]);
  return { incident, reload };
}

interface Props {
  alertId: number;
  standing: Decision;
  incident: Incident | null | undefined;
  /** Where a correction starts when it is not the standing decision (a QA verdict's class). */
  suggestion?: Draft;
  onChanged(): void;
}

/**
 * Correcting what stands, and what police received: a new decision version (class, rounds or
 * flags, with the reason; the agencies that have the incident get an Update), or the incident
 * withdrawn (with the reason; they get a Cancel). By keyboard: C corrects, W withdraws, Esc
 * goes back; the forms take their keys while they are open.
 */
export function Corrections({ alertId, standing, incident, suggestion, onChanged }: Props) {
  const client = useClient();
  const [mode, setMode] = useState<'idle' | 'correct' | 'withdraw'>('idle');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const mayWithdraw = !!incident && incident.state !== 'cancelled';
  useKeys(
    mode === 'idle' ? { correct: () => open('correct'), ...(mayWithdraw ? { withdraw: () => open('withdraw') } : {}) } : { leave: () => setMode('idle') },
  );
  const open = (m: 'correct' | 'withdraw') => {
    setError(null);
    setDone(null);
    setReason('');
    setMode(m);
  };
  const finished = (what: string) => {
    setMode('idle');
    setDone(what);
    onChanged();
  };
  const withdraw = async (e: FormEvent) => {
    e.preventDefault();
    if (!incident || busy || reason.trim() === '') return;
    setBusy(true);
    const r = await client.call('cancelIncident', { incidentId: incident.id, reason: reason.trim() });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    finished('Withdrawn: the agencies that had it get a Cancel with your reason.');
  };
  const sentTo = incident && withAgencies(incident) ? incident.agencies.map((a) => a.name).join(', ') : null;
  return (
    <div className="corrections" data-testid="corrections">
      {mode === 'idle' && (
        <div className="correction-actions">
          <button type="button" className="btn btn-small" onClick={() => open('correct')} data-testid="correct">
            Correct the decision <kbd>C</kbd>
          </button>
          {mayWithdraw && (
            <button type="button" className="btn btn-small btn-withdraw" onClick={() => open('withdraw')} data-testid="withdraw">
              Withdraw the incident <kbd>W</kbd>
            </button>
          )}
        </div>
      )}
      {mode === 'correct' && (
        <div className="correction-form" data-testid="correction-form">
          <p className="muted">
            Correcting {sentTo ? <>what {sentTo} received: they get an Update.</> : 'the decision: a new version, on record.'} <kbd>Esc</kbd> goes back.
          </p>
          <DecisionForm
            alertId={alertId}
            prefilledRounds={standing.rounds ?? 1}
            correcting={draftFromDecision(standing)}
            start={suggestion}
            notesRequired="say why it is corrected (E): the agencies read it"
            verb="Correct"
            busy={busy}
            onSubmit={async (d) => {
              setBusy(true);
              const r = await client.call('reviseDecision', { alertId, class: d.class, rounds: d.rounds, flags: d.flags, notes: d.notes ?? '' });
              setBusy(false);
              if (!r.ok) return setError(r.error);
              const cls = r.value.decision.class;
              finished(
                r.value.incident?.state === 'cancelled' && !isGunfire(cls)
                  ? 'Corrected: no longer gunfire, so the incident was withdrawn (a Cancel).'
                  : `Corrected to version ${r.value.decision.version}${sentTo ? ': the agencies get an Update.' : '.'}`,
              );
            }}
          />
        </div>
      )}
      {mode === 'withdraw' && incident && (
        <form className="correction-form" onSubmit={(e) => void withdraw(e)} data-testid="withdraw-form">
          <label className="notes-label" htmlFor="withdraw-reason">
            Why the incident is withdrawn <span className="required">(required: sent with the Cancel)</span>
          </label>
          <input
            id="withdraw-reason"
            autoFocus
            value={reason}
            maxLength={2000}
            onChange={(e) => setReason(e.target.value)}
            data-testid="withdraw-reason"
            placeholder="e.g. confirmed as a transformer failure by the utility"
          />
          <div className="correction-actions">
            <button type="submit" className="btn btn-reject" disabled={busy || reason.trim() === ''} data-testid="withdraw-send">
              Withdraw{sentTo ? ` from ${sentTo}` : ''} <kbd>Enter</kbd>
            </button>
            <button type="button" className="btn btn-small" onClick={() => setMode('idle')}>
              Back <kbd>Esc</kbd>
            </button>
          </div>
        </form>
      )}
      {done && (
        <p className="ok-note" role="status" data-testid="correction-done">
          {done}
        </p>
      )}
      <ErrorNote error={error} context={mode === 'withdraw' ? 'Not withdrawn' : 'Not corrected'} />
    </div>
  );
}
