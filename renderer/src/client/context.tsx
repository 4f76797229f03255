import { createContext, useContext, type ReactNode } from 'react';
import type { EarwitnessClient } from '../../../src/contract/index.ts';

const ClientContext = createContext<EarwitnessClient | null>(null);

export function ClientProvider({ client, children }: { client: EarwitnessClient; children: ReactNode }) {
  return <ClientContext value={client}>{children}</ClientContext>;
}

/** The contract client of this window; every component talks to the core through it. */
export function useClient(): EarwitnessClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside <ClientProvider>');
  return client;
}
