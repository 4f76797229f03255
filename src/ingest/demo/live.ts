import { formatIsoMicros } from '../../util/time.ts';
import type { DemoNetwork } from './network.ts';
import { renderAlertInSteps, type GeneratedAlert } from './output.ts';
import { planAlert } from './plan.ts';
import { Rng } from './rng.ts';
import { SCENARIO_WEIGHTS, type ScenarioKind } from './scenarios.ts';

/** Ids of a live run: the run's start time and a counter, so restarts never collide. */
function liveIdPrefix(prefix: string, startUs: number): string {
  const iso = formatIsoMicros(startUs); // 2026-11-21T05:28:51.123456Z
  return `${prefix}-LIVE-${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}${iso.slice(20, 23)}`;
}

/**
 * The alerts of a live demo network, one after another, each detected at the time it is asked
 * for (its clips end just before): the first is gunfire, the thing the workstation exists for,
 * the rest drawn by the scenarios' weights. Shared by the feed inside a server and by
 * `earwitness push --demo`, which sends them to a centre's intake as a sensor network would. The
 * feed draws its intervals from the same stream (`scenarios`), so a seed gives the same run as before.
 */
export function liveAlerts(network: DemoNetwork, seed: string, startUs: number, scenarios = Rng.of('earwitness-demo', seed, 'feed')) {
  const idPrefix = liveIdPrefix(network.spec.idPrefix, startUs);
  let index = 0;
  return {
    /** The next alert, rendered a sensor's clip per step (a server serves requests in between). */
    next(nowUs: number): Generator<void, GeneratedAlert> {
      index++;
      const scenario: ScenarioKind = index === 1 ? scenarios.pick(['single_shot', 'semi_auto'] as const) : scenarios.weighted(SCENARIO_WEIGHTS);
      const plan = planAlert({ network, seed, index, scenario });
      return renderAlertInSteps(plan, { epochUs: nowUs - plan.detectedRelUs, id: `${idPrefix}-${String(index).padStart(4, '0')}` });
    },
  };
}
