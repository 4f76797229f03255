import { useRef, type MouseEvent, type ReactNode } from 'react';
import type { TimeAxis } from './axis.ts';
import { clipInView, type PlacedRow, type ViewWindow } from './deck.ts';
import { percent } from './axis.ts';
import { TrackGutter, type PickUse, type TrackMix } from './TrackGutter.tsx';
import { TrackMarks } from './TrackMarks.tsx';
import { useClipWave } from './useClipWave.ts';

/** Height of a track's spectrogram, CSS pixels. */
export const SPECTROGRAM_PX = 96;

export interface WaveformTrackProps {
  row: PlacedRow;
  /** Interleaved max/min pairs from getPeaks; null while they load. */
  peaks: ArrayLike<number> | null;
  /** The player's media element for this clip (wavesurfer draws, the player plays). */
  media: HTMLAudioElement | null;
  /** Absolute clip URL: wavesurfer compares it with the element's own to leave the stream alone. */
  clipUrl: string;
  view: ViewWindow;
  /** The view as instants, for the marks. */
  viewAxis: TimeAxis;
  laneWidth: number;
  spectrogram: boolean;
  selected: boolean;
  mix: TrackMix;
  onSelect(): void;
  onPlayOnly(): void;
  onMix(change: Partial<Omit<TrackMix, 'playingAlone'>>): void;
  /** Drawn over the lane, above the marks: the picks a reviewer edits. */
  overlay?: ReactNode;
  /** A double click in the lane, as a share of the lane's width (a reviewer places a pick there). */
  onLaneDoubleClick?(fraction: number): void;
  /** Whether the current shot uses this sensor, and how to change it; absent: the gutter shows the saved solution's use. */
  pickUse?: PickUse;
}

/**
 * One sensor's clip on the deck: the part of it in view, drawn from the precomputed peaks (nothing
 * decoded), on a canvas at once and by wavesurfer once zoomed, zoomed and scrolled with every
 * other track (see useClipWave).
 */
export function WaveformTrack(p: WaveformTrackProps) {
  const { row, peaks, media, clipUrl, view, laneWidth, spectrogram } = p;
  const { track } = row;
  const container = useRef<HTMLDivElement>(null);
  const sketch = useRef<HTMLCanvasElement>(null);
  const inView = clipInView(row.startS, row.durationS, view);
  const pxPerS = laneWidth / Math.max(1e-6, view.endS - view.startS);
  const whole = row.startS >= view.startS - 1e-6 && row.startS + row.durationS <= view.endS + 1e-6;
  const { drawn, sketchShown, failed, spectrumDrawn } = useClipWave(container, {
    sketch,
    clip: track.clip,
    peaks,
    media,
    clipUrl,
    pxPerS,
    fromS: whole || !inView ? null : inView.fromS,
    spectrogram,
    spectrogramPx: SPECTROGRAM_PX,
  });

  return (
    <div
      className={`track${p.selected ? ' is-selected' : ''}`}
      data-testid="track"
      data-sensor={track.sensorId}
      data-drawn={drawn ? 'true' : 'false'}
      data-spectrogram={spectrogram ? (spectrumDrawn ? 'drawn' : 'loading') : 'off'}
      aria-selected={p.selected}
    >
      <TrackGutter
        track={track}
        distanceM={row.distanceM}
        peaks={peaks}
        mix={p.mix}
        canPlay={media !== null && !failed}
        failed={failed}
        onSelect={p.onSelect}
        onPlay={p.onPlayOnly}
        onMix={p.onMix}
        pickUse={p.pickUse}
      />
      <div
        className="track-lane"
        onDoubleClick={
          p.onLaneDoubleClick &&
          ((e: MouseEvent<HTMLDivElement>) => {
            const r = e.currentTarget.getBoundingClientRect();
            if (r.width > 0) p.onLaneDoubleClick!((e.clientX - r.left) / r.width);
          })
        }
      >
        <div className="track-clip" style={inView ? { left: percent(inView.left), width: percent(inView.width) } : { display: 'none' }}>
          <canvas ref={sketch} className="track-sketch" style={sketchShown ? undefined : { visibility: 'hidden' }} aria-hidden="true" />
          <div ref={container} className="track-wave" />
          {!drawn && <div className="track-loading" aria-hidden="true" />}
        </div>
        <TrackMarks axis={p.viewAxis} marks={row.placedMarks} />
        {p.overlay}
      </div>
    </div>
  );
}
