/**
 * Why a simulated alert's reported shot is no shot, read off the truth: which path each of its
 * picks was (the truth lists every round's direct, diffracted and crack arrivals; a pick none of
 * them explains is a reflection off a wall or a facade, or noise), and what the shot says of
 * itself. The first cause that holds, in this order, names it.
 */
import { isNotAShot, NOT_A_SHOT_M } from './score.ts';
import type { SimAlert } from './sim-cases.ts';

export const NOT_SHOT_CAUSES = [
  'both solutions off', // a three-sensor fix reported ambiguous, neither solution within 50 m: clocks and GPS through a poor geometry
  'crack', // a bullet's crack taken for its blast on some sensor
  'reflection', // a pick no direct, diffracted or crack arrival explains: a wall's or facade's echo, heard first where the direct path is blocked, or strung in
  'rounds mixed', // picks of different rounds strung into one shot
  'round a building', // a diffracted (non-line-of-sight) arrival in the fix
  'GPS', // a sensor of the fix placed 10 m or more off by its GPS
  'wrong one set aside', // a three-sensor fix whose right solution (within 50 m) was ruled out
  'other', // consistent direct picks, off all the same: clocks and GPS errors under 10 m through a poor geometry
] as const;
export type NotShotCause = (typeof NOT_SHOT_CAUSES)[number];

/** A pick is a truth arrival when it lies this close to it (a sensor's clock is stamped off by 0.5 ms sigma). */
const MATCH_S = 0.003;
const GPS_OUTLIER_M = 10;

/** The cause of each not-shot of the alert. */
export function notShotCauses(a: SimAlert): NotShotCause[] {
  const out: NotShotCause[] = [];
  a.out.shots.forEach((shot, i) => {
    if (!isNotAShot(a.score.shots[i]!)) return;
    if (shot.alternative) return void out.push('both solutions off');
    const paths = a.out.pulses
      .filter((p) => p.shotIndex === shot.index)
      .map((p) => {
        const t = a.g.truth.sensors.find((s) => s.id === p.sensorId)!;
        const m = t.arrivals.find((x) => Math.abs(x.clipOffsetS - p.offsetS) <= MATCH_S);
        const gps = t.gpsErrorM ? Math.hypot(t.gpsErrorM.x, t.gpsErrorM.y) : 0;
        return { path: m?.path ?? 'reflection', round: m?.source, gps };
      });
    const rounds = new Set(paths.map((p) => p.round).filter((r) => r !== undefined));
    if (paths.some((p) => p.path === 'crack')) out.push('crack');
    else if (paths.some((p) => p.path === 'reflection')) out.push('reflection');
    else if (rounds.size > 1) out.push('rounds mixed');
    else if (paths.some((p) => p.path === 'diffracted')) out.push('round a building');
    else if (paths.some((p) => p.gps >= GPS_OUTLIER_M)) out.push('GPS');
    else if ((a.score.shots[i]!.setAsideErrorM ?? Infinity) <= NOT_A_SHOT_M) out.push('wrong one set aside');
    else out.push('other');
  });
  return out;
}

/** One line per case: its not-shots counted by cause. */
export function notShotCauseLine(run: readonly SimAlert[]): string {
  const n = new Map<NotShotCause, number>();
  for (const a of run) for (const c of notShotCauses(a)) n.set(c, (n.get(c) ?? 0) + 1);
  const total = [...n.values()].reduce((s, v) => s + v, 0);
  const parts = NOT_SHOT_CAUSES.filter((c) => n.has(c)).map((c) => `${n.get(c)} ${c}`);
  return `${total} not shots${parts.length ? `: ${parts.join(', ')}` : ''}`;
}
