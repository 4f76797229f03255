import { CLASS_LABELS, isGunfire, type DecisionClass } from '../contract/index.ts';
import { axesInWords } from './area.ts';
import type { IncidentFacts } from './facts.ts';
import type { Change } from './message.ts';

/**
 * A class that withdraws a gunfire incident: anything that is neither gunfire nor probable
 * gunfire. Agencies act on a gunfire alert; once the reviewer says it was not gunfire, the CAD
 * incident must close (CAP Cancel), not linger as an "Update" a dispatcher might still act on.
 */
export const withdraws = (c: DecisionClass): boolean => !isGunfire(c) && c !== 'probable_gunfire';

/** Metres between two WGS84 points (equirectangular: exact enough at the scale of a correction). */
function metresBetween(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const k = 111_320;
  const dx = (b.lon - a.lon) * k * Math.cos(((a.lat + b.lat) / 2) * (Math.PI / 180));
  const dy = (b.lat - a.lat) * k;
  return Math.hypot(dx, dy);
}

const yesNo = (v: boolean): string => (v ? 'yes' : 'no');
const sentence = (s: string): string => (/[.!?]$/.test(s) ? s : `${s}.`);

/** What changed between two messages, in words a dispatcher reads in CAP `note`. */
export function changeNote(before: IncidentFacts, after: IncidentFacts, changes: readonly Change[], reason: string | null): string {
  const parts: string[] = [];
  if (changes.includes('reclassified')) parts.push(`Reclassified from ${CLASS_LABELS[before.class]} to ${CLASS_LABELS[after.class]}.`);
  if (changes.includes('rounds_corrected')) parts.push(`Rounds corrected from ${before.rounds ?? 'unknown'} to ${after.rounds ?? 'unknown'}.`);
  if (changes.includes('flags_corrected')) {
    parts.push(`Fully automatic: ${yesNo(after.flags.fullyAutomatic)}; multiple shooters: ${yesNo(after.flags.multipleShooters)} (corrected).`);
  }
  if (changes.includes('moved')) {
    if (before.location && after.location) {
      const area = after.area ? `, now within ${axesInWords(after.area)}` : '';
      parts.push(`Location corrected: moved ${Math.round(metresBetween(before.location, after.location))} m${area}.`);
    } else parts.push(after.location ? 'Location found.' : 'Location withdrawn: no located position.');
  }
  if (changes.includes('reinstated')) parts.push(`Reinstated: the reviewer confirmed ${CLASS_LABELS[after.class]} again after the withdrawal.`);
  if (reason?.trim()) parts.push(`Reviewer's reason: ${sentence(reason.trim())}`);
  return parts.join(' ');
}

/** Why a reclassification withdraws the incident, for a Cancel's `note`. */
export function withdrawalNote(after: IncidentFacts, reason: string | null): string {
  const why = reason?.trim() ? ` Reviewer's reason: ${sentence(reason.trim())}` : '';
  return `Withdrawn: a reviewer reclassified this as ${CLASS_LABELS[after.class]}, not gunfire.${why}`;
}
