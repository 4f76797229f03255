import { useCallback, useEffect, useState } from 'react';
import type { ContractError } from '../../../src/contract/index.ts';
import { useSeat } from '../seat/SeatContext.tsx';
import type { ClipStateName } from './clip-order.ts';

/** This trainer's state of each clip of a project, read once and kept as they change it. */
export function useClipStates(projectId: number | null, onError: (e: ContractError) => void) {
  const { client, generation } = useSeat();
  const [states, setStates] = useState<ReadonlyMap<number, ClipStateName>>(new Map());
  useEffect(() => {
    setStates(new Map());
    if (projectId === null) return;
    let live = true;
    void client.call('listClipStates', { projectId }).then((r) => {
      if (!live) return;
      if (r.ok) setStates(new Map(r.value.states.map((s) => [s.clipId, s.state])));
      else onError(r.error);
    });
    return () => void (live = false);
  }, [client, projectId, generation, onError]);

  const set = useCallback(
    async (clipId: number, state: ClipStateName): Promise<boolean> => {
      const r = await client.call('setClipState', { clipId, state });
      if (!r.ok) return (onError(r.error), false);
      setStates((m) => new Map(m).set(clipId, r.value.state));
      return true;
    },
    [client, onError],
  );
  return { states, set };
}
