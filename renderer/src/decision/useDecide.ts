import { useState } from 'react';
import type { ContractError, Decision, MethodInput } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';

export type DecisionDraft = Omit<MethodInput<'decide'>, 'alertId' | 'reviewMs'>;

/**
 * Sends a decision with the review time measured from the moment the alert was opened
 * (`openedAt`, a performance.now() reading), and keeps the core's error if it refuses.
 */
export function useDecide(alertId: number, openedAt: number, onDecided: (d: Decision) => void) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const submit = async (draft: DecisionDraft) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    const reviewMs = Math.max(0, Math.round(performance.now() - openedAt));
    const r = await client.call('decide', { ...draft, alertId, reviewMs });
    setBusy(false);
    if (r.ok) onDecided(r.value);
    else setError(r.error);
  };
  return { submit, busy, error };
}
