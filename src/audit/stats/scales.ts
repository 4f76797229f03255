import type { DecisionClass } from '../../contract/taxonomy.ts';

/**
 * The coarse scale on which a person and the machine can be compared. The machine says
 * "gunshot" (or a few other words), never single vs multiple, so comparing it on the full
 * review taxonomy would count every "gunfire_multiple" as a disagreement. Not reviewable is a
 * statement about the audio, not a verdict, so it is left out of every agreement figure.
 */
export const VERDICTS = ['gunfire', 'probable_gunfire', 'not_gunfire'] as const;
export type Verdict = (typeof VERDICTS)[number];

export function verdictOf(c: DecisionClass): Verdict | null {
  switch (c) {
    case 'gunfire_single':
    case 'gunfire_multiple':
      return 'gunfire';
    case 'probable_gunfire':
      return 'probable_gunfire';
    case 'not_reviewable':
      return null;
    default:
      return 'not_gunfire';
  }
}

/**
 * Machine labels as sensor networks send them, normalised (lower case, runs of anything but
 * letters and digits to one underscore), mapped to verdicts. A label not listed is "unmapped":
 * counted and named in the statistics, never guessed. Documented in docs/audit/README.md.
 */
export const MACHINE_LABELS: Readonly<Record<string, Verdict>> = {
  gunshot: 'gunfire',
  gunshots: 'gunfire',
  gunfire: 'gunfire',
  gun: 'gunfire',
  shot: 'gunfire',
  shots: 'gunfire',
  shots_fired: 'gunfire',
  gunfire_single: 'gunfire',
  gunfire_multiple: 'gunfire',
  single_gunshot: 'gunfire',
  multiple_gunshots: 'gunfire',
  automatic_gunfire: 'gunfire',
  probable_gunfire: 'probable_gunfire',
  probable_gunshot: 'probable_gunfire',
  possible_gunfire: 'probable_gunfire',
  possible_gunshot: 'probable_gunfire',
  probable: 'probable_gunfire',
  fireworks: 'not_gunfire',
  firework: 'not_gunfire',
  firecracker: 'not_gunfire',
  firecrackers: 'not_gunfire',
  vehicle_backfire: 'not_gunfire',
  backfire: 'not_gunfire',
  construction: 'not_gunfire',
  construction_impact: 'not_gunfire',
  impact: 'not_gunfire',
  aircraft: 'not_gunfire',
  helicopter: 'not_gunfire',
  other: 'not_gunfire',
  not_gunfire: 'not_gunfire',
  non_gunfire: 'not_gunfire',
  noise: 'not_gunfire',
};

export const normaliseLabel = (label: string): string =>
  label
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

export function machineVerdict(label: string | null): Verdict | null {
  if (label === null) return null;
  return MACHINE_LABELS[normaliseLabel(label)] ?? null;
}
