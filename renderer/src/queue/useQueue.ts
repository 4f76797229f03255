import { useCallback, useEffect, useState } from 'react';
import type { AlertSummary, ContractError } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { applyAlert, type QueueView } from './queue-list.ts';

/** A safety net beside the live events: a host restart or a sleeping laptop can miss some. */
const RESYNC_MS = 30_000;

export interface QueueState {
  alerts: AlertSummary[];
  loaded: boolean;
  error: ContractError | null;
  /** Drop an alert at once (after deciding it here), before its event arrives. */
  remove(id: number): void;
}

/** One queue view (pending or decided), loaded once (again at each new `generation`) and kept live by alertAdded / alertChanged. */
export function useQueue(view: QueueView, generation = 0): QueueState {
  const client = useClient();
  const [alerts, setAlerts] = useState<AlertSummary[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);

  useEffect(() => {
    let live = true;
    // Events that arrive while a listing is on its way are applied again on top of it, so a
    // listing taken just before an import cannot hide the alert the import announced.
    let inFlight: AlertSummary[] | null = null;
    const load = async () => {
      const seen: AlertSummary[] = [];
      inFlight = seen;
      const r = await client.call('listAlerts', { status: view, limit: 500 });
      if (!live) return;
      if (inFlight === seen) inFlight = null;
      if (r.ok) {
        setAlerts(seen.reduce((list, a) => applyAlert(list, a, view), r.value.alerts));
        setError(null);
      } else setError(r.error);
      setLoaded(true);
    };
    const onAlert = ({ alert }: { alert: AlertSummary }) => {
      inFlight?.push(alert);
      setAlerts((list) => applyAlert(list, alert, view));
    };
    const offAdded = client.on('alertAdded', onAlert);
    const offChanged = client.on('alertChanged', onAlert);
    const onFocus = () => void load();
    window.addEventListener('focus', onFocus);
    const timer = setInterval(() => void load(), RESYNC_MS);
    void load();
    return () => {
      live = false;
      offAdded();
      offChanged();
      window.removeEventListener('focus', onFocus);
      clearInterval(timer);
    };
  }, [client, view, generation]);

  const remove = useCallback((id: number) => setAlerts((list) => list.filter((a) => a.id !== id)), []);
  return { alerts, loaded, error, remove };
}
