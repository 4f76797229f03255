import { CLASS_LABELS, clockAheadUs, isGunfire, type AlertDetail, type Decision, type DecisionClass } from '../contract/index.ts';
import { publishedArea, type PublishedArea } from './area.ts';

/**
 * The facts of an incident that a message carries, taken from the alert and the standing
 * decision at one moment. Both formats (CAP and JSON) are rendered from this one object, so
 * they can never disagree; a change is found by comparing two of them.
 */
export interface IncidentFacts {
  /**
   * clockAheadUs: how far the network's clock ran ahead of the centre's (clockAheadUs in the
   * contract; 0 within tolerance). Its times (detection, shot time) are sent as it gave them, with
   * this said beside them, so a dispatcher does not read an incident as hours in the future.
   */
  alert: { id: number; source: string; externalId: string; detectedUs: number; clockAheadUs: number };
  class: DecisionClass;
  classLabel: string;
  gunfire: boolean;
  rounds: number | null;
  roundsSource: 'reviewer' | 'locator' | null;
  flags: { fullyAutomatic: boolean; multipleShooters: boolean };
  decision: { id: number; version: number; decidedBy: string; decidedUs: number };
  sensorCount: number;
  /** WGS84; null when the alert has no located shot. */
  location: { lat: number; lon: number } | null;
  /** The locator's 95 % ellipse, as it computed it (semi-axes). */
  ellipse95: { semiMajorM: number; semiMinorM: number; azimuthDeg: number } | null;
  /** What messages publish: the ellipse widened to the floor the solution supports (area.ts); null when not located. */
  area: PublishedArea | null;
  /** Radius of the circle sent in CAP, metres: contains the published polygon. */
  radiusM: number | null;
  shotTimeUs: number | null;
  solution: { id: number; version: number } | null;
  /** The clip of the sensor that heard the shot best. */
  audio: { sha256: string; bytes: number; sensorId: string; sampleRate: number; durationS: number } | null;
}

export function certaintyOf(c: DecisionClass): 'Observed' | 'Likely' | 'Unlikely' {
  return isGunfire(c) ? 'Observed' : c === 'probable_gunfire' ? 'Likely' : 'Unlikely';
}

/** The location of the newest solution's first shot, if it is in WGS84. */
export function wgs84Location(detail: AlertDetail): { lat: number; lon: number } | null {
  const pos = detail.solutions.at(-1)?.shots[0]?.position;
  return pos && 'lat' in pos ? { lat: pos.lat, lon: pos.lon } : null;
}

export function buildFacts(detail: AlertDetail, decision: Decision): IncidentFacts {
  const solution = detail.solutions.at(-1) ?? null;
  const shot = solution?.shots[0] ?? null;
  const location = detail.coordinates === 'wgs84' ? wgs84Location(detail) : null;
  const ellipse = location && shot?.ellipse95 ? { ...shot.ellipse95 } : null;
  const rounds = decision.rounds ?? solution?.rounds ?? null;
  const area =
    location && shot && solution
      ? publishedArea({ ellipse95: ellipse, residualRmsMs: shot.residualRmsMs, gdop: shot.gdop, speedOfSoundMs: solution.speedOfSoundMs })
      : null;
  return {
    alert: { id: detail.id, source: detail.source, externalId: detail.externalId, detectedUs: detail.detectedUs, clockAheadUs: clockAheadUs(detail) },
    class: decision.class,
    classLabel: CLASS_LABELS[decision.class],
    gunfire: isGunfire(decision.class),
    rounds,
    roundsSource: decision.rounds !== null ? 'reviewer' : solution ? 'locator' : null,
    flags: { ...decision.flags },
    decision: { id: decision.id, version: decision.version, decidedBy: decision.decidedBy, decidedUs: decision.decidedUs },
    sensorCount: detail.sensorCount,
    location,
    ellipse95: ellipse,
    area,
    radiusM: area?.circleRadiusM ?? null,
    shotTimeUs: shot?.timeUs ?? null,
    solution: solution ? { id: solution.id, version: solution.version } : null,
    audio: bestClip(detail, shot?.sensorsUsed ?? []),
  };
}

function bestClip(detail: AlertDetail, used: string[]): IncidentFacts['audio'] {
  const snr = new Map<string, number>();
  for (const p of detail.pulses) if (p.snrDb !== null) snr.set(p.sensorId, Math.max(snr.get(p.sensorId) ?? -Infinity, p.snrDb));
  const candidates = detail.tracks.filter((t) => used.length === 0 || used.includes(t.sensorId));
  const pool = candidates.length ? candidates : detail.tracks;
  const best = [...pool].sort((a, b) => (snr.get(b.sensorId) ?? -Infinity) - (snr.get(a.sensorId) ?? -Infinity) || a.sensorId.localeCompare(b.sensorId))[0];
  if (!best) return null;
  return { sha256: best.clip.sha256, bytes: best.clip.bytes, sensorId: best.sensorId, sampleRate: best.clip.sampleRate, durationS: best.clip.durationS };
}

/** What changed between two fact sets, in the words messages use. */
export function changesBetween(before: IncidentFacts, after: IncidentFacts): ('reclassified' | 'rounds_corrected' | 'flags_corrected' | 'moved')[] {
  const out: ('reclassified' | 'rounds_corrected' | 'flags_corrected' | 'moved')[] = [];
  if (before.class !== after.class) out.push('reclassified');
  if (before.rounds !== after.rounds) out.push('rounds_corrected');
  if (before.flags.fullyAutomatic !== after.flags.fullyAutomatic || before.flags.multipleShooters !== after.flags.multipleShooters) out.push('flags_corrected');
  if (JSON.stringify([before.location, before.ellipse95]) !== JSON.stringify([after.location, after.ellipse95])) out.push('moved');
  return out;
}
