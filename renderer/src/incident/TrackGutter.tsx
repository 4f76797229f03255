import type { Track } from '../../../src/contract/index.ts';
import { formatMetres } from '../ui/format.ts';
import { peakDbfs } from './peaks.ts';

interface Props {
  track: Track;
  distanceM: number | null;
  peaks: readonly number[] | null;
  playing: boolean;
  canPlay: boolean;
  failed: string | null;
  onPlay(): void;
}

/** A track's label column: play button, sensor, whether the fix used it, distance and peak level. */
export function TrackGutter({ track, distanceM, peaks, playing, canPlay, failed, onPlay }: Props) {
  const peak = peaks ? peakDbfs(peaks) : null;
  return (
    <div className="track-gutter">
      <button
        type="button"
        className="track-play"
        aria-label={`${playing ? 'Pause' : 'Play'} sensor ${track.sensorId}`}
        aria-pressed={playing}
        disabled={!canPlay}
        onClick={onPlay}
      >
        {playing ? '❚❚' : '▶'}
      </button>
      <div className="track-info">
        <div className="track-name">
          <span className={track.participating ? 'dot dot-used' : 'dot dot-unused'} title={track.participating ? 'used by the location' : 'not used by the location'} />
          {track.sensorId}
        </div>
        <div className="track-meta" title={failed ?? undefined}>
          {failed
            ? 'audio unavailable'
            : [distanceM !== null ? formatMetres(distanceM) : null, peak !== null ? `${peak.toFixed(0)} dBFS` : null].filter(Boolean).join(' · ')}
        </div>
      </div>
    </div>
  );
}
