import { useEffect, useMemo } from 'react';
import type { AlertDetail } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { axisFor } from './axis.ts';
import { TimeRuler } from './TimeRuler.tsx';
import { TrackPlayers } from './track-players.ts';
import { trackRows } from './track-layout.ts';
import { WaveformTrack } from './WaveformTrack.tsx';

interface Props {
  alert: AlertDetail;
  /** Peaks by sensor, or null while they load. */
  peaks: ReadonlyMap<string, readonly number[]> | null;
}

/** Every sensor's waveform on one shared time axis, under a ruler, with pulses and the shot marked. */
export function TrackDeck({ alert, peaks }: Props) {
  const client = useClient();
  const shots = useMemo(() => alert.solutions.at(-1)?.shots ?? [], [alert]);
  const axis = useMemo(() => axisFor(alert.tracks, shots), [alert.tracks, shots]);
  const rows = useMemo(() => trackRows(alert), [alert]);
  const players = useMemo(() => new TrackPlayers(), []);
  useEffect(() => () => players.pauseAll(), [players]);

  return (
    <section className="track-deck" aria-label="Sensor tracks">
      <TimeRuler axis={axis} shotTimesUs={shots.map((s) => s.timeUs)} />
      <div className="track-list">
        {rows.map((r) => (
          <WaveformTrack
            key={r.track.sensorId}
            track={r.track}
            peaks={peaks?.get(r.track.sensorId) ?? null}
            axis={axis}
            marks={r.marks}
            distanceM={r.distanceM}
            clipUrl={client.clipUrl(r.track.clip.sha256)}
            players={players}
          />
        ))}
      </div>
      <div className="deck-legend" aria-hidden="true">
        <span className="legend-pulse">picked pulse</span>
        <span className="legend-predicted">arrival predicted by the fix</span>
        <span className="legend-shot">shot time</span>
        <span>rows in order of arrival · each track starts at its clip&apos;s own start</span>
      </div>
    </section>
  );
}
