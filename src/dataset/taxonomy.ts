import { DECISION_CLASSES, type DecisionClass } from '../contract/index.ts';

export interface ClassSpec {
  name: string;
  colour: string;
  hotkey: number | null;
}

/**
 * Pulse-level labels: what a trainer marks inside a gunshot recording. A supersonic round gives a
 * shockwave (N-wave) before the muzzle blast; echoes follow from buildings.
 */
export const PULSE_LABELS: readonly ClassSpec[] = [
  { name: 'muzzle_blast', colour: '#d62728', hotkey: 1 },
  { name: 'shockwave', colour: '#ff7f0e', hotkey: 2 },
  { name: 'echo', colour: '#1f77b4', hotkey: 3 },
  { name: 'noise', colour: '#7f7f7f', hotkey: 4 },
];

const REVIEW_COLOURS: Record<DecisionClass, string> = {
  gunfire_single: '#9467bd',
  gunfire_multiple: '#8c564b',
  probable_gunfire: '#e377c2',
  fireworks: '#bcbd22',
  firecracker: '#17becf',
  vehicle_backfire: '#2ca02c',
  construction_impact: '#aec7e8',
  aircraft: '#98df8a',
  other: '#c7c7c7',
  not_reviewable: '#525252',
};

/** The default taxonomy: pulse labels on keys 1-4, then the review taxonomy on keys 5-9 and the second bank's 10-14 (0, then 1-5). */
export function defaultTaxonomy(): ClassSpec[] {
  const review = DECISION_CLASSES.map((name, i): ClassSpec => ({ name, colour: REVIEW_COLOURS[name], hotkey: 5 + i }));
  return [...PULSE_LABELS.map((c) => ({ ...c })), ...review];
}
