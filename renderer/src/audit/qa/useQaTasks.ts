import { useCallback, useEffect, useState } from 'react';
import type { ContractError, MethodOutput } from '../../../../src/contract/index.ts';
import { useClient } from '../../client/context.tsx';

export type QaTask = MethodOutput<'listQaTasks'>['tasks'][number];

/** How often the list is fetched again without an event: a decision elsewhere can select a new task. */
const POLL_MS = 15_000;

/**
 * The blind second reviews this person may give, live: fetched again when an alert changes (a
 * decision may have selected one; a review by someone else may have taken one) and on a slow poll.
 */
export function useQaTasks(enabled: boolean) {
  const client = useClient();
  const [tasks, setTasks] = useState<QaTask[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const load = useCallback(async () => {
    const r = await client.call('listQaTasks', {});
    setLoaded(true);
    if (!r.ok) return setError(r.error);
    setError(null);
    setTasks(r.value.tasks);
  }, [client]);
  useEffect(() => {
    if (!enabled) return;
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    const offChanged = client.on('alertChanged', () => void load());
    return () => {
      clearInterval(timer);
      offChanged();
    };
  }, [client, load, enabled]);
  return { tasks, loaded, error, reload: load };
}
