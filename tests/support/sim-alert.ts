import { defaultNetwork } from '../../src/ingest/demo/network.ts';
import type { LocateOutput } from '../../src/locate/index.ts';
import { runCase, SIM_CASES, SIM_DEFAULTS } from '../eval/lib/sim-cases.ts';

/**
 * One alert of a simulated case, located exactly as `npm run eval -- simulated --seed SEED`
 * locates it (the case's plan, clock and GPS errors, the whole network known), without locating
 * the alerts before it: its output, and the error of a reported position (to the nearest round).
 */
export function locateSimAlert(
  evalSeed: string,
  caseName: string,
  index: number,
): { out: LocateOutput; rounds: number; errorM: (p: { x: number; y: number }) => number } {
  const c = SIM_CASES.find((x) => x.name === caseName);
  if (!c) throw new Error(`no simulated case ${JSON.stringify(caseName)}`);
  const [a] = runCase(c, { ...SIM_DEFAULTS, network: defaultNetwork(), seed: evalSeed, count: index }, { from: index });
  if (!a) throw new Error(`case ${caseName} drew no alert ${index}`);
  return { out: a.out, rounds: a.g.truth.rounds, errorM: (p) => Math.min(...a.truths.map((t) => Math.hypot(t.x - p.x, t.y - p.y))) };
}
