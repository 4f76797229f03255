import { useEffect, useState } from 'react';
import type { EarwitnessClient } from '../../../src/contract/index.ts';
import { ClientProvider } from '../client/context.tsx';
import { connectClient } from '../client/index.ts';
import { App } from './App.tsx';

/** Finds the transport, then shows the app; if there is none, says why in plain words. */
export function Boot() {
  const [client, setClient] = useState<EarwitnessClient | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    connectClient().then(setClient, (e: unknown) => setProblem(e instanceof Error ? e.message : String(e)));
  }, []);
  if (problem) {
    return (
      <div className="boot boot-problem" role="alert">
        <h1>Earwitness cannot reach its core</h1>
        <p>{problem}</p>
      </div>
    );
  }
  if (!client) return <div className="boot" aria-busy="true">Connecting…</div>;
  return (
    <ClientProvider client={client}>
      <App />
    </ClientProvider>
  );
}
