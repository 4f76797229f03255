import { renderAlert, type GeneratedAlert } from './output.ts';
import { planAlert, type PlanOptions } from './plan.ts';
import { Rng } from './rng.ts';
import { SCENARIO_KINDS, SCENARIO_WEIGHTS, type ScenarioKind } from './scenarios.ts';
import { TRUTH_FORMAT, type TruthAlert, type TruthFile } from './truth.ts';

export interface SeriesOptions extends Omit<PlanOptions, 'index' | 'scenario'> {
  count: number;
  /** The series starts within a minute after this UTC time, integer microseconds. */
  startUs: number;
  /** Restrict to these scenarios (default: all). */
  scenarios?: readonly ScenarioKind[];
  noise?: boolean;
  /** Render only the alerts from this one on (1-based): the same alerts as the whole series' tail. */
  from?: number;
}

/**
 * The scenario of each alert in a series: the first alerts go through every allowed kind
 * once, in an order drawn from the seed, so even a short series shows them all; then by weight.
 */
export function seriesScenarios(seed: string | number, count: number, allowed: readonly ScenarioKind[] = SCENARIO_KINDS): ScenarioKind[] {
  const rng = Rng.of('earwitness-demo', seed, 'series');
  const first = rng.shuffle(allowed);
  const weights = SCENARIO_WEIGHTS.filter(([k]) => allowed.includes(k));
  return Array.from({ length: count }, (_, i) => first[i] ?? rng.weighted(weights));
}

export const seriesId = (prefix: string, seed: string | number, index: number) => `${prefix}-S${seed}-${String(index).padStart(4, '0')}`;

/**
 * A series of alerts, minutes apart, as `earwitness demo` writes them. Yields one at a time
 * so a long series never holds every clip in memory.
 */
export function* generateSeries(o: SeriesOptions): Generator<GeneratedAlert> {
  const kinds = seriesScenarios(o.seed, o.count, o.scenarios);
  const gaps = Rng.of('earwitness-demo', o.seed, 'gaps');
  let epochUs = o.startUs + Math.round(gaps.uniform(0, 60) * 1e6);
  for (let i = 0; i < o.count; i++) {
    if (i + 1 >= (o.from ?? 1)) {
      const plan = planAlert({ ...o, index: i + 1, scenario: kinds[i]! });
      yield renderAlert(plan, { epochUs, id: seriesId(o.network.spec.idPrefix, o.seed, i + 1), noise: o.noise ?? true });
    }
    epochUs += Math.round(gaps.uniform(120, 900) * 1e6);
  }
}

export function truthFile(seed: string | number, o: Pick<SeriesOptions, 'network'>, alerts: readonly TruthAlert[]): TruthFile {
  const net = o.network;
  return {
    format: TRUTH_FORMAT,
    seed: String(seed),
    network: { name: net.spec.name, source: net.spec.source, frameOrigin: { ...net.frame.origin } },
    alerts: [...alerts],
  };
}
