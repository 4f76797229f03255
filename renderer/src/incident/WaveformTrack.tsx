import { useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import type { Track } from '../../../src/contract/index.ts';
import { axisFraction, percent, type TimeAxis } from './axis.ts';
import { toEnvelope } from './peaks.ts';
import type { TrackPlayers } from './track-players.ts';
import { TrackMarks } from './TrackMarks.tsx';
import type { TrackMark } from './track-layout.ts';
import { TrackGutter } from './TrackGutter.tsx';

export interface WaveformTrackProps {
  track: Track;
  /** Interleaved max/min pairs from getPeaks; null while they load. */
  peaks: readonly number[] | null;
  axis: TimeAxis;
  marks: readonly TrackMark[];
  clipUrl: string;
  players: TrackPlayers;
  /** Metres from the located source, when there is one. */
  distanceM: number | null;
}

/**
 * One sensor's clip on the shared time axis: placed at its real start time, drawn by wavesurfer
 * from the precomputed peaks with the duration given (nothing is decoded to draw it), played by
 * a media element streaming the clip URL.
 */
export function WaveformTrack({ track, peaks, axis, marks, clipUrl, players, distanceM }: WaveformTrackProps) {
  const container = useRef<HTMLDivElement>(null);
  const [drawn, setDrawn] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    if (!peaks || !container.current) return;
    const css = getComputedStyle(container.current);
    const ws = WaveSurfer.create({
      container: container.current,
      height: 'auto', // the row's height: rows share the deck's space
      url: clipUrl,
      peaks: toEnvelope(peaks),
      duration: track.clip.durationS,
      normalize: true,
      waveColor: css.getPropertyValue('--wave').trim() || '#7fb2e5',
      progressColor: css.getPropertyValue('--wave-played').trim() || '#3d6f9f',
      cursorColor: css.getPropertyValue('--cursor').trim() || '#ffffff',
      cursorWidth: 1,
      hideScrollbar: true,
      autoScroll: false,
      autoCenter: false,
    });
    const off = [
      players.add(track.sensorId, ws),
      ws.on('redrawcomplete', () => setDrawn(true)),
      ws.on('play', () => setPlaying(true)),
      ws.on('pause', () => setPlaying(false)),
      ws.on('finish', () => setPlaying(false)),
      ws.on('error', (e) => setFailed(e.message || 'the audio could not be played')),
    ];
    return () => {
      off.forEach((f) => f());
      ws.destroy();
      setDrawn(false);
      setPlaying(false);
    };
  }, [peaks, clipUrl, track.sensorId, track.clip.durationS, players]);

  const left = axisFraction(axis, track.clipStartUs);
  const width = axisFraction(axis, track.clipStartUs + track.clip.durationS * 1e6) - left;
  return (
    <div className="track" data-testid="track" data-sensor={track.sensorId} data-drawn={drawn ? 'true' : 'false'}>
      <TrackGutter
        track={track}
        distanceM={distanceM}
        peaks={peaks}
        playing={playing}
        canPlay={peaks !== null}
        failed={failed}
        onPlay={() => players.toggle(track.sensorId)}
      />
      <div className="track-lane">
        <div className="track-clip" style={{ left: percent(left), width: percent(width) }}>
          <div ref={container} className="track-wave" />
          {!drawn && <div className="track-loading" aria-hidden="true" />}
        </div>
        <TrackMarks axis={axis} marks={marks} />
      </div>
    </div>
  );
}
