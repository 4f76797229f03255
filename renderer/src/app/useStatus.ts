import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';

export type CoreStatus = MethodOutput<'getStatus'>;

/** What the core says about itself and who this seat is. */
export function useStatus(): CoreStatus | null {
  const client = useClient();
  const [status, setStatus] = useState<CoreStatus | null>(null);
  useEffect(() => {
    let live = true;
    void client.call('getStatus', {}).then((r) => live && r.ok && setStatus(r.value));
    return () => {
      live = false;
    };
  }, [client]);
  return status;
}
