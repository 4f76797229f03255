import type { Rng } from './rng.ts';
import type { Scene } from './scenarios.ts';

/**
 * The network's machine classification, made from the truth with the mistakes real
 * classifiers make: fireworks, firecrackers and backfires are called gunshots often enough
 * that a reviewer matters, automatic fire is under-counted when rounds run together, and
 * confidence overlaps between right and wrong calls.
 */

export interface MachineCall {
  label: string;
  confidence: number;
  rounds: number;
}

type Call = readonly [label: string, weight: number, confidence: readonly [number, number]];

const CALLS: Record<Scene['kind'], readonly Call[]> = {
  single_shot: [
    ['gunshot', 82, [0.7, 0.98]],
    ['probable_gunshot', 12, [0.5, 0.75]],
    ['fireworks', 6, [0.4, 0.65]],
  ],
  semi_auto: [
    ['gunshot', 86, [0.75, 0.99]],
    ['probable_gunshot', 8, [0.5, 0.75]],
    ['fireworks', 6, [0.4, 0.65]],
  ],
  full_auto: [
    ['gunshot', 90, [0.8, 0.99]],
    ['probable_gunshot', 6, [0.55, 0.8]],
    ['fireworks', 4, [0.4, 0.6]],
  ],
  fireworks: [
    ['fireworks', 68, [0.6, 0.95]],
    ['gunshot', 20, [0.5, 0.8]],
    ['impulsive_noise', 12, [0.4, 0.7]],
  ],
  firecrackers: [
    ['firecracker', 52, [0.55, 0.9]],
    ['gunshot', 30, [0.55, 0.85]],
    ['fireworks', 18, [0.45, 0.75]],
  ],
  backfire: [
    ['vehicle_backfire', 50, [0.5, 0.9]],
    ['gunshot', 34, [0.5, 0.8]],
    ['impulsive_noise', 16, [0.4, 0.7]],
  ],
  hammering: [
    ['construction', 70, [0.6, 0.95]],
    ['impulsive_noise', 20, [0.4, 0.7]],
    ['gunshot', 10, [0.45, 0.65]],
  ],
};

export function classify(scene: Scene, rng: Rng): MachineCall {
  const call = rng.weighted(CALLS[scene.kind].map((c) => [c, c[1]] as const));
  const [label, , [lo, hi]] = call;
  const trueRounds = scene.emissions.filter((e) => e.round).length;
  let rounds = trueRounds;
  if (scene.kind === 'full_auto') rounds = Math.max(1, Math.round(trueRounds * rng.uniform(0.7, 1.05)));
  else if (trueRounds > 1 && rng.chance(0.25)) rounds = Math.max(1, trueRounds + rng.pick([-2, -1, -1, 1]));
  return { label, confidence: Math.round(rng.uniform(lo, hi) * 100) / 100, rounds };
}
