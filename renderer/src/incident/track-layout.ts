import type { AlertDetail, Track } from '../../../src/contract/index.ts';

/** Something drawn on a track at a time: a picked pulse, the arrival the fix predicts, the shot itself. */
export interface TrackMark {
  kind: 'pulse' | 'predicted' | 'shot';
  timeUs: number;
  title: string;
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
  const rows = alert.tracks.map((track): TrackRow => {
    // The picker's pulses; a reviewer's picks are drawn by the re-location layer, as handles.
    const pulses = alert.pulses.filter((p) => p.sensorId === track.sensorId && p.origin === 'machine');
    const marks: TrackMark[] = pulses.map((p) => ({
      kind: 'pulse',
      timeUs: p.timeUs,
      title: `pulse${p.shotIndex !== null ? ` of shot ${p.shotIndex}` : ''}${p.snrDb !== null ? `, SNR ${p.snrDb.toFixed(0)} dB` : ''}`,
    }));
    for (const s of shots) {
      marks.push({ kind: 'shot', timeUs: s.timeUs, title: `shot ${s.index} fired` });
      if (c) {
        const d = Math.hypot(track.local.x - s.local.x, track.local.y - s.local.y);
        marks.push({ kind: 'predicted', timeUs: s.timeUs + Math.round((d / c) * 1e6), title: `shot ${s.index} expected here` });
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
      (a.firstArrivalUs ?? Infinity) - (b.firstArrivalUs ?? Infinity) || (a.track.sensorId < b.track.sensorId ? -1 : a.track.sensorId > b.track.sensorId ? 1 : 0),
  );
}
