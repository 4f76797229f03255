import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import WaveSurfer from 'wavesurfer.js';
import SpectrogramPlugin from 'wavesurfer.js/plugins/spectrogram';
import type { TimeAxis } from './axis.ts';
import { clipInView, type PlacedRow, type ViewWindow } from './deck.ts';
import { percent } from './axis.ts';
import { toEnvelope } from './peaks.ts';
import { TrackGutter, type PickUse, type TrackMix } from './TrackGutter.tsx';
import { TrackMarks } from './TrackMarks.tsx';
import { waveformSource } from './waveform-source.ts';

/** Height of a track's spectrogram, CSS pixels. */
export const SPECTROGRAM_PX = 96;

export interface WaveformTrackProps {
  row: PlacedRow;
  /** Interleaved max/min pairs from getPeaks; null while they load. */
  peaks: readonly number[] | null;
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
 * One sensor's clip on the deck: the part of it in view, drawn by wavesurfer from the precomputed
 * peaks (nothing decoded), zoomed and scrolled with every other track. For a spectrogram, or a
 * zoom finer than the peaks, the clip is fetched and decoded once at its own sample rate.
 */
export function WaveformTrack(p: WaveformTrackProps) {
  const { row, peaks, media, clipUrl, view, laneWidth, spectrogram } = p;
  const { track } = row;
  const container = useRef<HTMLDivElement>(null);
  const wsRef = useRef<WaveSurfer | null>(null);
  const [ready, setReady] = useState(false);
  const [drawn, setDrawn] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const [samples, setSamples] = useState<'none' | 'loading' | 'loaded'>('none');
  const [spectrumDrawn, setSpectrumDrawn] = useState(false);
  const source = waveformSource(location.search);

  // Create wavesurfer once per clip (and per peaks arrival); destroyed on unmount, with every listener.
  useEffect(() => {
    if (!container.current || !media || (source === 'peaks' && !peaks)) return;
    const css = getComputedStyle(container.current);
    const wave = css.getPropertyValue('--wave').trim() || '#7fb2e5';
    const ws = WaveSurfer.create({
      container: container.current,
      height: 'auto',
      media,
      url: clipUrl,
      ...(source === 'peaks' ? { peaks: toEnvelope(peaks!), duration: track.clip.durationS, sampleRate: track.clip.sampleRate } : {}),
      normalize: true,
      waveColor: wave,
      progressColor: wave, // one playhead over the deck draws progress; tracks keep one colour
      cursorWidth: 0,
      interact: false,
      hideScrollbar: true,
      autoScroll: false,
      autoCenter: false,
    });
    wsRef.current = ws;
    const offs = [
      ws.on('ready', () => setReady(true)),
      ws.on('redrawcomplete', () => setDrawn(true)),
      ws.on('error', (e) => setFailed(e.message || 'the audio could not be loaded')),
    ];
    const onMediaError = () => setFailed(media.error?.message || 'the audio could not be played');
    media.addEventListener('error', onMediaError);
    return () => {
      offs.forEach((off) => off());
      media.removeEventListener('error', onMediaError);
      ws.destroy();
      wsRef.current = null;
      setReady(false);
      setDrawn(false);
      setSamples('none');
      setSpectrumDrawn(false);
    };
  }, [peaks, clipUrl, media, track.clip.durationS, track.clip.sampleRate, source]);

  const inView = clipInView(row.startS, row.durationS, view);
  const pxPerS = laneWidth / Math.max(1e-6, view.endS - view.startS);
  const peaksPerS = peaks ? peaks.length / 2 / track.clip.durationS : Infinity;
  const needSamples = source === 'peaks' && (spectrogram || pxPerS > peaksPerS * 2);

  // The samples, once: wavesurfer fetches the clip and decodes it at its own rate (set at creation).
  useEffect(() => {
    const ws = wsRef.current;
    if (!ws || !ready || !needSamples || samples !== 'none') return;
    setSamples('loading');
    ws.load(clipUrl).then(
      () => setSamples('loaded'),
      (e: unknown) => {
        if ((e as Error).name === 'AbortError') return;
        setFailed((e as Error).message);
        setSamples('none');
      },
    );
  }, [ready, needSamples, samples, clipUrl]);

  // The spectrogram under the waveform, drawn from those samples; the waveform gives it room.
  useEffect(() => {
    const ws = wsRef.current;
    const box = container.current;
    if (!ws || !box || !spectrogram || samples !== 'loaded') return;
    const fit = () => ws.setOptions({ height: Math.max(24, box.clientHeight - SPECTROGRAM_PX) });
    fit();
    const plugin = SpectrogramPlugin.create({
      height: SPECTROGRAM_PX,
      labels: true,
      labelsBackground: 'rgba(0, 0, 0, 0.35)',
      scale: 'linear',
      fftSamples: 512,
      frequencyMax: track.clip.sampleRate / 2,
      colorMap: 'roseus',
    });
    ws.registerPlugin(plugin);
    const offReady = plugin.on('ready', () => setSpectrumDrawn(true));
    const observer = new ResizeObserver(fit);
    observer.observe(box);
    return () => {
      observer.disconnect();
      offReady();
      ws.unregisterPlugin(plugin);
      ws.setOptions({ height: 'auto' });
      setSpectrumDrawn(false);
    };
  }, [spectrogram, samples, track.clip.sampleRate]);

  // Zoom and scroll with the deck: the visible part of the clip fills its box at the deck's scale.
  // A clip wholly in view simply fills its box (no zoom), as on first drawing.
  const whole = row.startS >= view.startS - 1e-6 && row.startS + row.durationS <= view.endS + 1e-6;
  const desired = useRef({ minPxPerSec: 0, scrollPx: 0 });
  desired.current = whole || !inView ? { minPxPerSec: 0, scrollPx: 0 } : { minPxPerSec: pxPerS, scrollPx: Math.round(inView.fromS * pxPerS) };
  const { minPxPerSec, scrollPx } = desired.current;
  useEffect(() => {
    const ws = wsRef.current;
    if (!ws || !ready) return;
    if ((ws.options.minPxPerSec ?? 0) !== minPxPerSec) ws.zoom(minPxPerSec);
    ws.setScroll(scrollPx);
  }, [ready, samples, minPxPerSec, scrollPx]);
  // wavesurfer redraws by itself when its box resizes, and keeps its own idea of the scroll: keep ours.
  useEffect(() => {
    const ws = wsRef.current;
    if (!ws || !ready) return;
    return ws.on('redraw', () => ws.getScroll() !== desired.current.scrollPx && ws.setScroll(desired.current.scrollPx));
  }, [ready]);

  return (
    <div
      className={`track${p.selected ? ' is-selected' : ''}`}
      data-testid="track"
      data-sensor={track.sensorId}
      data-drawn={drawn ? 'true' : 'false'}
      data-spectrogram={spectrogram ? (spectrumDrawn ? 'drawn' : 'loading') : 'off'}
      aria-selected={p.selected}
    >
      <TrackGutter track={track} distanceM={row.distanceM} peaks={peaks} mix={p.mix} canPlay={media !== null && !failed} failed={failed} onSelect={p.onSelect} onPlay={p.onPlayOnly} onMix={p.onMix} pickUse={p.pickUse} />
      <div className="track-lane" onDoubleClick={p.onLaneDoubleClick && ((e: MouseEvent<HTMLDivElement>) => {
        const r = e.currentTarget.getBoundingClientRect();
        if (r.width > 0) p.onLaneDoubleClick!((e.clientX - r.left) / r.width);
      })}>
        <div className="track-clip" style={inView ? { left: percent(inView.left), width: percent(inView.width) } : { display: 'none' }}>
          <div ref={container} className="track-wave" />
          {!drawn && <div className="track-loading" aria-hidden="true" />}
        </div>
        <TrackMarks axis={p.viewAxis} marks={row.placedMarks} />
        {p.overlay}
      </div>
    </div>
  );
}
