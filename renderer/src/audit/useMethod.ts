import { useCallback, useEffect, useState } from 'react';
import type { ContractError, MethodInput, MethodName, MethodOutput } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';

export interface MethodState<M extends MethodName> {
  value: MethodOutput<M> | null;
  error: ContractError | null;
  loading: boolean;
  reload(): void;
}

/**
 * The result of one contract call, fetched again when its input changes (compared as JSON, so
 * callers may pass a fresh object each render) or on reload(). A stale answer never overwrites
 * a newer one. `input` null means "do not call yet".
 */
export function useMethod<M extends MethodName>(method: M, input: MethodInput<M> | null): MethodState<M> {
  const client = useClient();
  const [value, setValue] = useState<MethodOutput<M> | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [loading, setLoading] = useState(false);
  const [generation, setGeneration] = useState(0);
  const key = input === null ? null : JSON.stringify(input);
  useEffect(() => {
    if (key === null) return;
    let live = true;
    setLoading(true);
    void client.call(method, JSON.parse(key) as MethodInput<M>).then((r) => {
      if (!live) return;
      setLoading(false);
      if (r.ok) {
        setValue(r.value);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [client, method, key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { value, error, loading, reload };
}
