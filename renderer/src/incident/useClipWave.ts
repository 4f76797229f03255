import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import WaveSurfer from 'wavesurfer.js';
import SpectrogramPlugin, { type SpectrogramPluginOptions } from 'wavesurfer.js/plugins/spectrogram';
import type { ClipInfo } from '../../../src/contract/index.ts';
import { drawEnvelope } from './peak-canvas.ts';
import { toEnvelope } from './peaks.ts';
import { waveformSource } from './waveform-source.ts';

export interface ClipWaveOptions {
  clip: Pick<ClipInfo, 'durationS' | 'sampleRate'>;
  /** Interleaved max/min pairs; null while they load. */
  peaks: ArrayLike<number> | null;
  /** The player's media element for this clip (wavesurfer draws, the player plays). */
  media: HTMLAudioElement | null;
  /** Absolute clip URL: wavesurfer compares it with the element's own to leave the stream alone. */
  clipUrl: string;
  /** Pixels per second of the view now. */
  pxPerS: number;
  /** The clip's own time at the box's left edge, or null when the whole clip fills its box (no zoom). */
  fromS: number | null;
  spectrogram: boolean;
  spectrogramPx: number;
  /**
   * The spectrogram plugin's options over the seat's defaults. The plugin draws each window at its
   * first sample, so energy shows up to half a window early: a view that lines times up uses short
   * windows (fftSamples); one that draws its own frequency axis turns the labels off.
   */
  spectrogramOptions?: SpectrogramPluginOptions;
  /** Decode the samples even without a spectrogram or a fine zoom (a view that reads them). */
  wantSamples?: boolean;
  /** The decoded samples, at the clip's own rate, once they are there. */
  onDecoded?(buffer: AudioBuffer): void;
  /**
   * A canvas laid over the box to draw the peaks on at once (peak-canvas.ts). With it, wavesurfer
   * is made only when the clip needs more than that picture (a zoom, a spectrogram, the samples),
   * and hides the canvas once it has drawn. Without it, wavesurfer draws from the start.
   */
  sketch?: RefObject<HTMLCanvasElement | null>;
}

export interface ClipWaveState {
  drawn: boolean;
  /** Whether the sketch canvas is the picture (wavesurfer has not drawn over it). */
  sketchShown: boolean;
  failed: string | null;
  spectrumDrawn: boolean;
  samples: 'none' | 'loading' | 'loaded';
}

/**
 * One clip drawn in a box from the precomputed peaks (nothing decoded): on a plain canvas at once
 * when the caller gives one (`sketch`), by wavesurfer when the view needs it, zoomed and
 * scrolled to a view. For a spectrogram, a zoom finer than the peaks, or a view that reads the
 * samples, the clip is fetched and decoded once at its own sample rate. Shared by the incident's
 * tracks and the labelling view.
 */
export function useClipWave(container: RefObject<HTMLDivElement | null>, o: ClipWaveOptions): ClipWaveState {
  const { clip, peaks, media, clipUrl, pxPerS, fromS, spectrogram, spectrogramPx } = o;
  // A string, so options written inline do not redraw the spectrogram at every render.
  const spectrogramOptions = JSON.stringify(o.spectrogramOptions ?? {});
  const wsRef = useRef<WaveSurfer | null>(null);
  const [ready, setReady] = useState(false);
  const [drawn, setDrawn] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const [samples, setSamples] = useState<'none' | 'loading' | 'loaded'>('none');
  const [spectrumDrawn, setSpectrumDrawn] = useState(false);
  const source = waveformSource(location.search);
  const onDecoded = useRef(o.onDecoded);
  onDecoded.current = o.onDecoded;
  const { sketch } = o;
  const [sketched, setSketched] = useState(false);

  const peaksPerS = peaks ? peaks.length / 2 / clip.durationS : Infinity;
  const needSamples = source === 'peaks' && (spectrogram || (o.wantSamples ?? false) || pxPerS > peaksPerS * 2);
  // wavesurfer, once a clip needs it, stays for the life of the view (it zooms and scrolls in place).
  const needWave = !sketch || source === 'decode' || needSamples || fromS !== null;
  const [waveKept, setWaveKept] = useState(needWave);
  const waveWanted = waveKept || needWave;
  useEffect(() => {
    if (needWave) setWaveKept(true);
  }, [needWave]);

  // The peaks on the canvas before the browser paints; again whenever the canvas changes size.
  useLayoutEffect(() => {
    const canvas = sketch?.current;
    const box = container.current;
    if (!canvas || !box || source !== 'peaks' || !peaks) return;
    const color = getComputedStyle(box).getPropertyValue('--wave').trim() || '#7fb2e5';
    // A ResizeObserver reports once as it starts: the size drawn at is kept, so that report draws nothing again.
    let drawnAt = '';
    const draw = () => {
      const size = `${canvas.clientWidth}x${canvas.clientHeight}x${window.devicePixelRatio}`;
      if (size === drawnAt || !drawEnvelope(canvas, peaks, color)) return;
      drawnAt = size;
      performance.mark('ew:track-drawn');
      setSketched(true);
    };
    draw();
    const observer = new ResizeObserver(draw);
    observer.observe(canvas);
    return () => {
      observer.disconnect();
      setSketched(false);
    };
  }, [sketch, container, peaks, source]);

  // Create wavesurfer once per clip (and per peaks arrival); destroyed on unmount, with every listener.
  useEffect(() => {
    if (!waveWanted || !container.current || !media || (source === 'peaks' && !peaks)) return;
    const css = getComputedStyle(container.current);
    const wave = css.getPropertyValue('--wave').trim() || '#7fb2e5';
    const ws = WaveSurfer.create({
      container: container.current,
      height: 'auto',
      media,
      url: clipUrl,
      ...(source === 'peaks' ? { peaks: toEnvelope(peaks!), duration: clip.durationS, sampleRate: clip.sampleRate } : {}),
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
    performance.mark('ew:wave-created');
    const offs = [
      ws.on('ready', () => setReady(true)),
      ws.on('redrawcomplete', () => {
        performance.mark('ew:track-drawn');
        setDrawn(true);
      }),
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
  }, [waveWanted, container, peaks, clipUrl, media, clip.durationS, clip.sampleRate, source]);

  // The samples, once: wavesurfer fetches the clip and decodes it at its own rate (set at creation).
  useEffect(() => {
    const ws = wsRef.current;
    if (!ws || !ready || !needSamples || samples !== 'none') return;
    setSamples('loading');
    ws.load(clipUrl).then(
      () => {
        setSamples('loaded');
        const buffer = ws.getDecodedData();
        if (buffer) onDecoded.current?.(buffer);
      },
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
    const fit = () => ws.setOptions({ height: Math.max(24, box.clientHeight - spectrogramPx) });
    fit();
    const plugin = SpectrogramPlugin.create({
      height: spectrogramPx,
      labels: true,
      labelsBackground: 'rgba(0, 0, 0, 0.35)',
      scale: 'linear',
      fftSamples: 512,
      frequencyMax: clip.sampleRate / 2,
      colorMap: 'roseus',
      ...(JSON.parse(spectrogramOptions) as SpectrogramPluginOptions),
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
  }, [container, spectrogram, spectrogramPx, spectrogramOptions, samples, clip.sampleRate]);

  // Zoom and scroll with the view: the visible part of the clip fills its box at the view's scale.
  // A clip wholly in view simply fills its box (no zoom), as on first drawing.
  const desired = useRef({ minPxPerSec: 0, scrollPx: 0 });
  desired.current = fromS === null ? { minPxPerSec: 0, scrollPx: 0 } : { minPxPerSec: pxPerS, scrollPx: Math.round(fromS * pxPerS) };
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

  // Zoomed, the canvas (the whole clip) would be the wrong picture of the part in view: the loading line shows until wavesurfer draws.
  const sketchShown = sketched && !drawn && fromS === null;
  return { drawn: drawn || sketchShown, sketchShown, failed, spectrumDrawn, samples };
}
