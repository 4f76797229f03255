import type { Track } from '../../../src/contract/index.ts';
import { formatMetres } from '../ui/format.ts';
import { MAX_GAIN_DB, MIN_GAIN_DB } from './playback/mix.ts';
import { peakDbfs } from './peaks.ts';

export interface TrackMix {
  gainDb: number;
  muted: boolean;
  solo: boolean;
  /** This sensor plays alone now (its own play button). */
  playingAlone: boolean;
}

/** The current shot's use of this sensor while a reviewer edits picks: used, dropped, or no pick (null). */
export interface PickUse {
  shotIndex: number;
  used: boolean | null;
  /** Absent when the picks cannot be changed here. */
  onToggle?(): void;
}

interface Props {
  track: Track;
  distanceM: number | null;
  peaks: ArrayLike<number> | null;
  mix: TrackMix;
  canPlay: boolean;
  failed: string | null;
  onSelect(): void;
  onPlay(): void;
  onMix(change: Partial<Omit<TrackMix, 'playingAlone'>>): void;
  pickUse?: PickUse;
}

/** The dot beside the sensor's name: whether the fix uses it; a button that drops or takes it back while picks are edited. */
function UseDot({ track, pickUse }: { track: Track; pickUse?: PickUse }) {
  if (!pickUse) {
    return (
      <span
        className={track.participating ? 'dot dot-used' : 'dot dot-unused'}
        title={track.participating ? 'used by the location' : 'not used by the location'}
      />
    );
  }
  const { used, shotIndex, onToggle } = pickUse;
  const cls = used ? 'dot dot-used' : used === false ? 'dot dot-dropped' : 'dot dot-unused';
  const title = used === null ? `no pick for shot ${shotIndex}` : used ? `used by shot ${shotIndex}` : `dropped from shot ${shotIndex}`;
  if (!onToggle || used === null) return <span className={cls} title={title} />;
  return (
    <button
      type="button"
      className={`${cls} dot-toggle`}
      aria-pressed={used}
      aria-label={`Use ${track.sensorId} in shot ${shotIndex}`}
      title={`${title}: click to ${used ? 'drop it' : 'take it back'} (D)`}
      onClick={onToggle}
      tabIndex={-1}
    />
  );
}

/** A track's label column: play it alone, sensor, whether the fix used it, distance, peak level; solo, mute and gain. */
export function TrackGutter({ track, distanceM, peaks, mix, canPlay, failed, onSelect, onPlay, onMix, pickUse }: Props) {
  const peak = peaks ? peakDbfs(peaks) : null;
  return (
    <div className="track-gutter" onPointerDown={onSelect}>
      <button
        type="button"
        className="track-play"
        aria-label={`${mix.playingAlone ? 'Pause' : 'Play'} sensor ${track.sensorId}`}
        aria-pressed={mix.playingAlone}
        disabled={!canPlay}
        onClick={onPlay}
        tabIndex={-1}
      >
        {mix.playingAlone ? '❚❚' : '▶'}
      </button>
      <div className="track-info">
        <div className="track-name">
          <UseDot track={track} pickUse={pickUse} />
          {track.sensorId}
        </div>
        <div className="track-meta" title={failed ?? `${track.clip.sampleRate} Hz, ${track.clip.format}`}>
          {failed
            ? 'audio unavailable'
            : [distanceM !== null ? formatMetres(distanceM) : null, peak !== null ? `${peak.toFixed(0)} dBFS` : null].filter(Boolean).join(' · ')}
        </div>
        <div className="track-mix">
          <button
            type="button"
            className="mix-toggle"
            aria-pressed={mix.solo}
            aria-label={`Solo ${track.sensorId}`}
            title="Solo (S)"
            onClick={() => onMix({ solo: !mix.solo })}
            tabIndex={-1}
          >
            S
          </button>
          <button
            type="button"
            className="mix-toggle mix-mute"
            aria-pressed={mix.muted}
            aria-label={`Mute ${track.sensorId}`}
            title="Mute (M)"
            onClick={() => onMix({ muted: !mix.muted })}
            tabIndex={-1}
          >
            M
          </button>
          <input
            type="range"
            className="mix-gain"
            min={MIN_GAIN_DB}
            max={MAX_GAIN_DB}
            step={1}
            value={mix.gainDb}
            aria-label={`Gain of ${track.sensorId}, dB`}
            title="Gain (Shift ↑ ↓ on the selected track)"
            onChange={(e) => onMix({ gainDb: Number(e.target.value) })}
            tabIndex={-1}
          />
          <span className="mix-db">
            {mix.gainDb > 0 ? '+' : ''}
            {mix.gainDb} dB
          </span>
        </div>
      </div>
    </div>
  );
}
