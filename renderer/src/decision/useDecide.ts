import { useState } from 'react';
import type { Claim, ContractError, Decision } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import type { DecisionInputDraft } from './draft.ts';

/**
 * Sends a decision with the review time measured from the moment the alert was opened
 * (`openedAt`, a performance.now() reading), and undoes one; keeps the core's error if it refuses.
 */
export function useDecide(alertId: number, openedAt: number, onDecided: (d: Decision) => void, onUndone: (c: Claim, reviewedMs: number) => void) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const submit = async (draft: DecisionInputDraft) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    const reviewMs = Math.max(0, Math.round(performance.now() - openedAt));
    const r = await client.call('decide', { ...draft, alertId, reviewMs });
    setBusy(false);
    if (r.ok) onDecided(r.value);
    else setError(r.error);
  };
  const undo = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    const r = await client.call('undoDecision', { alertId });
    setBusy(false);
    if (r.ok) onUndone(r.value.claim, r.value.undone.reviewMs);
    else setError(r.error);
  };
  return { submit, undo, busy, error, clearError: () => setError(null) };
}
