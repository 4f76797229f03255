import type { AlertDetail, Track } from '../../../src/contract/index.ts';

/** Something drawn on a track at a time: a picked pulse, the arrival the fix predicts, the shot itself. */
export interface TrackMark {
  kind: 'pulse' | 'predicted' | 'shot';
  timeUs: number;
  title: string;
  /**
   * A pulse the locator set aside, written on the track: the echo of a shot (a candidate that
   * fitted a source but was found to be its echo), or a shot's late arrival round a building.
   */
  tag?: { kind: 'echo' | 'late' | 'unlocated'; label: string };
}

export interface TrackRow {
  track: Track;
  marks: TrackMark[];
  distanceM: number | null;
  firstArrivalUs: number | null;
}

/**
 * Each track with what to mark on it: its picked pulses, the arrival the located shot predicts
 * there (distance / speed of sound after the shot time) and the shot time itself. Rows come in
 * order of first arrival, nearest sensor on top, so the move-out across the network reads
 * top to bottom; sensors with no pulse go last, by name.
 */
export function trackRows(alert: Pick<AlertDetail, 'tracks' | 'pulses' | 'solutions'>): TrackRow[] {
  const solution = alert.solutions.at(-1);
  const shots = solution?.shots ?? [];
  const c = solution?.speedOfSoundMs ?? null;
  const setAside = setAsidePulses(alert.solutions);
  const rows = alert.tracks.map((track): TrackRow => {
    // The picker's pulses; a reviewer's picks are drawn by the re-location layer, as handles.
    const pulses = alert.pulses.filter((p) => p.sensorId === track.sensorId && p.origin === 'machine');
    const marks: TrackMark[] = pulses.map((p) => {
      const tag = p.shotIndex === null ? setAside.get(`${p.sensorId}\u0000${p.timeUs}`) : undefined;
      return {
        kind: 'pulse',
        timeUs: p.timeUs,
        title: `${tag ? `${tag.title}; ` : ''}pulse${p.shotIndex !== null ? ` of shot ${p.shotIndex}` : ''}${p.snrDb !== null ? `, SNR ${p.snrDb.toFixed(0)} dB` : ''}`,
        ...(tag ? { tag: tag.tag } : {}),
      };
    });
    for (const s of shots) {
      marks.push({ kind: 'shot', timeUs: s.timeUs, title: `shot ${s.index} fired` });
      if (c) {
        const d = Math.hypot(track.local.x - s.local.x, track.local.y - s.local.y);
        const predictedUs = s.timeUs + Math.round((d / c) * 1e6);
        marks.push({ kind: 'predicted', timeUs: predictedUs, title: `shot ${s.index} expected here` });
        // A sensor the fix left out because its sound came late, round a building: its pulse says so.
        const late = s.nlos?.find((n) => n.sensorId === track.sensorId);
        const pulse = late && nearestUnassigned(marks, pulses, predictedUs + Math.round(late.lateMs * 1000));
        if (late && pulse) {
          pulse.tag = { kind: 'late', label: `late for shot ${s.index}` };
          // Late by no straight path: round a building, or a wall's echo where the first arrival went unpicked (a fast burst's rounds placed at their spot).
          pulse.title = `heard late, by no straight path (round a building, or off a wall): ${late.lateMs.toFixed(1)} ms later than shot ${s.index}'s fix predicts, left out of it; ${pulse.title}`;
        }
      }
    }
    const first = shots[0];
    return {
      track,
      marks,
      distanceM: first ? Math.hypot(track.local.x - first.local.x, track.local.y - first.local.y) : null,
      firstArrivalUs: pulses.length ? Math.min(...pulses.map((p) => p.timeUs)) : null,
    };
  });
  return rows.sort(
    (a, b) =>
      (a.firstArrivalUs ?? Infinity) - (b.firstArrivalUs ?? Infinity) ||
      (a.track.sensorId < b.track.sensorId ? -1 : a.track.sensorId > b.track.sensorId ? 1 : 0),
  );
}

/** The pulse mark of a pulse no shot took nearest a time, within a few milliseconds. */
function nearestUnassigned(marks: TrackMark[], pulses: readonly AlertDetail['pulses'][number][], timeUs: number): TrackMark | null {
  let best: TrackMark | null = null;
  pulses.forEach((p, i) => {
    if (p.shotIndex !== null || Math.abs(p.timeUs - timeUs) > LATE_MATCH_US) return;
    if (!best || Math.abs(p.timeUs - timeUs) < Math.abs(best.timeUs - timeUs)) best = marks[i]!;
  });
  return best;
}
/** How near a late arrival's stated time its pulse lies: the fix's prediction is redone here in 2-D. */
const LATE_MATCH_US = 3000;

/** Within this of a set-aside pick's time, a picked pulse is that pick (times are stored to the microsecond). */
const SAME_PULSE_US = 2;

/**
 * The pulses the machine's newest solution set aside, by sensor and time: each echo candidate's
 * picks ("echo of shot N", with why), the rounds it could not place ("round N, not located"), and each shot's late arrivals on sensors it left out
 * (its predicted arrival plus the lateness). A reviewer's versions carry none: the machine's
 * judgement stays on the tracks.
 */
function setAsidePulses(solutions: AlertDetail['solutions']): Map<string, { tag: NonNullable<TrackMark['tag']>; title: string }> {
  const machine = solutions.filter((s) => s.origin === 'machine').at(-1);
  const out = new Map<string, { tag: NonNullable<TrackMark['tag']>; title: string }>();
  const put = (sensorId: string, timeUs: number, tag: NonNullable<TrackMark['tag']>, title: string) => {
    for (let d = -SAME_PULSE_US; d <= SAME_PULSE_US; d++) out.set(`${sensorId}\u0000${timeUs + d}`, { tag, title });
  };
  for (const r of machine?.rejected ?? []) {
    if (r.kind === 'on-line') {
      for (const p of r.picks) put(p.sensorId, p.timeUs, { kind: 'unlocated', label: `round ${p.round}, not located` }, r.reason);
      continue;
    }
    for (const p of r.picks) {
      // A pick the candidate took that is a shot's own arrival (on a sensor its fix left out) is that shot's, not an echo.
      const tag = p.arrivalOf
        ? { kind: 'late' as const, label: `shot ${p.arrivalOf}, not in its fix` }
        : { kind: 'echo' as const, label: `echo of shot ${r.of}` };
      put(p.sensorId, p.timeUs, tag, r.reason);
    }
  }
  return out;
}
