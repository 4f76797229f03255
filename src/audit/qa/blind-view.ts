import type { AlertDetail, AlertSummary } from '../../contract/index.ts';

/**
 * An alert as a blind reviewer may see it: what arrived (audio, sensors, the machine's
 * classification, pulses and solution), nothing any person added. Reviewer pulses and
 * re-locations go too: where a reviewer moved a pick says what they thought they heard.
 */
export function blindDetail(d: AlertDetail): AlertDetail {
  const solutions = d.solutions.filter((s) => s.origin === 'machine');
  const machineSolution = solutions.at(-1);
  return {
    ...blindSummary(d),
    coordinates: d.coordinates,
    localOrigin: d.localOrigin,
    weather: d.weather,
    tracks: d.tracks.map((t) => ({ ...t, participating: machineSolution?.shots.some((s) => s.sensorsUsed.includes(t.sensorId)) ?? false })),
    pulses: d.pulses.filter((p) => p.origin === 'machine'),
    solutions,
    decisions: [],
    location: machineSolution?.shots[0]?.position ?? null,
    rounds: machineSolution?.rounds ?? null,
  };
}

/**
 * A summary with the decision taken out (the status stays: everyone may know it was decided).
 * Location and rounds go too: a summary carries the newest solution's, which after a reviewer's
 * re-location would say what that reviewer concluded. The blind detail puts the machine's back.
 */
export function blindSummary<T extends AlertSummary>(s: T): T {
  return { ...s, decision: null, location: null, rounds: null };
}
