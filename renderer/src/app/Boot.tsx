import { useEffect, useState } from 'react';
import type { EarwitnessClient, SeatState } from '../../../src/contract/index.ts';
import { connectClient } from '../client/index.ts';
import { SeatProvider } from '../seat/SeatContext.tsx';
import { SeatGate } from '../seat/SeatGate.tsx';
import { applyTheme, rememberedTheme } from '../seat/theme.ts';

/** Finds the transport and asks the core who this seat is, then shows the seat; if there is no core, says why in plain words. */
export function Boot() {
  const [ready, setReady] = useState<{ client: EarwitnessClient; seat: SeatState } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    applyTheme(rememberedTheme());
    connectClient()
      .then(async (client) => {
        const r = await client.call('getSeat', {});
        if (!r.ok) throw new Error(r.error.message);
        setReady({ client, seat: r.value });
      })
      .catch((e: unknown) => setProblem(e instanceof Error ? e.message : String(e)));
  }, []);
  if (problem) {
    return (
      <div className="boot boot-problem" role="alert">
        <h1>Earwitness cannot reach its core</h1>
        <p>{problem}</p>
      </div>
    );
  }
  if (!ready)
    return (
      <div className="boot" aria-busy="true">
        Connecting…
      </div>
    );
  return (
    <SeatProvider client={ready.client} initial={ready.seat}>
      <SeatGate />
    </SeatProvider>
  );
}
