/**
 * The review taxonomy, as gunshot review centres practise it: gunfire (single or multiple
 * shots), probable gunfire, and the usual impulsive sounds that are not gunfire.
 */
export const DECISION_CLASSES = [
  'gunfire_single',
  'gunfire_multiple',
  'probable_gunfire',
  'fireworks',
  'firecracker',
  'vehicle_backfire',
  'construction_impact',
  'aircraft',
  'other',
  'not_reviewable',
] as const;
export type DecisionClass = (typeof DECISION_CLASSES)[number];

export const GUNFIRE_CLASSES: readonly DecisionClass[] = ['gunfire_single', 'gunfire_multiple'];
export const NOT_GUNFIRE_CLASSES: readonly DecisionClass[] = [
  'fireworks',
  'firecracker',
  'vehicle_backfire',
  'construction_impact',
  'aircraft',
  'other',
  'not_reviewable',
];

export const CLASS_LABELS: Record<DecisionClass, string> = {
  gunfire_single: 'Gunfire: single shot',
  gunfire_multiple: 'Gunfire: multiple shots',
  probable_gunfire: 'Probable gunfire',
  fireworks: 'Fireworks',
  firecracker: 'Firecracker',
  vehicle_backfire: 'Vehicle backfire',
  construction_impact: 'Construction or impact',
  aircraft: 'Helicopter or aircraft',
  other: 'Other (not gunfire)',
  not_reviewable: 'Not reviewable',
};

export const isGunfire = (c: DecisionClass): boolean => GUNFIRE_CLASSES.includes(c);
