import { useRef, useState, type PointerEvent, type ReactNode } from 'react';
import type { Label, LabelClass, ProjectClip } from '../../../src/contract/index.ts';
import { percent } from '../incident/axis.ts';
import type { ViewWindow } from '../incident/deck.ts';
import { TrackMarks } from '../incident/TrackMarks.tsx';
import { useClipWave } from '../incident/useClipWave.ts';
import type { FoundPulse } from './pulses.ts';
import { toSample, type Draft, type Span } from './timeline.ts';

export interface LabelTrackProps {
  clip: ProjectClip;
  peaks: readonly number[] | null;
  media: HTMLAudioElement | null;
  clipUrl: string;
  view: ViewWindow;
  laneWidth: number;
  spectrogram: boolean;
  spectrogramPx: number;
  /** Labels on the channel shown. */
  labels: readonly Label[];
  classes: ReadonlyMap<number, LabelClass>;
  chosenId: number | null;
  draft: Draft;
  pulses: readonly FoundPulse[];
  editable: boolean;
  gutter: ReactNode;
  onDecoded(buffer: AudioBuffer): void;
  onCursor(sample: number): void;
  onDraft(d: Draft): void;
  onChoose(id: number | null): void;
  onReshape(id: number, span: Span): void;
}

/**
 * The labelling spectrogram: windows of about 5 ms (drawn at their first sample, energy then shows
 * under 3 ms early, not 16 ms as with 512 samples at 16 kHz), zero-padded for a smooth frequency
 * scale; scaled to its loudest bin so pulses stand out of the noise; its own axis in the gutter.
 */
const SPECTROGRAM_OPTIONS = (sampleRate: number, durationS: number) => {
  const fftSamples = 2 ** Math.round(Math.log2(sampleRate * 0.005));
  const windowed = durationS > 30;
  return {
    fftSamples,
    fftSize: Math.max(512, fftSamples),
    labels: false,
    rangeDB: 70,
    ...(windowed ? { rendering: 'windowed' as const } : { autoGain: true }),
  };
};

type Grip = { kind: 'new'; anchor: number; anchorHz: number | null } | { kind: 'move' | 'start' | 'end'; id: number; span: Span; anchor: number };
interface Drag {
  grip: Grip;
  x: number;
  moved: boolean;
}

/**
 * The clip on its track (wavesurfer, from the peaks, with the spectrogram under it) and what the
 * trainer works on over it: the labels in their class colours (with the band on the spectrogram),
 * the selection being made, the detected pulses. Drag on empty ground selects a range (on the
 * spectrogram, a band too); drag a label to move it, its edges to resize it; a click puts the cursor.
 */
export function LabelTrack(p: LabelTrackProps) {
  const { clip, view, laneWidth, spectrogram, spectrogramPx } = p;
  const info = clip.clip;
  const container = useRef<HTMLDivElement>(null);
  const lane = useRef<HTMLDivElement>(null);
  const whole = view.startS <= 1e-9 && view.endS >= info.durationS - 1e-9;
  const pxPerS = laneWidth / Math.max(1e-9, view.endS - view.startS);
  const wave = useClipWave(container, {
    clip: info,
    peaks: p.peaks,
    media: p.media,
    clipUrl: p.clipUrl,
    pxPerS,
    fromS: whole ? null : view.startS,
    spectrogram,
    spectrogramPx,
    spectrogramOptions: SPECTROGRAM_OPTIONS(info.sampleRate, info.durationS),
    wantSamples: true,
    onDecoded: p.onDecoded,
  });
  const [drag, setDrag] = useState<Drag | null>(null);
  const [preview, setPreview] = useState<{ draft?: Draft; reshape?: { id: number; span: Span } } | null>(null);
  const specPx = spectrogram ? spectrogramPx : 0;
  const nyquist = info.sampleRate / 2;

  const where = (e: PointerEvent) => {
    const r = lane.current!.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (e.clientX - r.left) / Math.max(1, r.width)));
    const sample = Math.min(info.frames, Math.max(0, toSample(view.startS + f * (view.endS - view.startS), info.sampleRate)));
    const specTop = r.height - specPx;
    const y = e.clientY - r.top;
    const hz = specPx > 0 && y >= specTop ? Math.round(Math.min(1, Math.max(0, 1 - (y - specTop) / specPx)) * nyquist) : null;
    return { sample, hz };
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || !lane.current) return;
    const at = where(e);
    const box = (e.target as Element).closest<HTMLElement>('[data-label-id]');
    const id = box ? Number(box.dataset.labelId) : null;
    const label = id === null ? undefined : p.labels.find((l) => l.id === id);
    let grip: Grip = { kind: 'new', anchor: at.sample, anchorHz: at.hz };
    if (label) {
      p.onChoose(label.id);
      const part = (e.target as HTMLElement).dataset.part;
      const span = { startSample: label.startSample, endSample: label.endSample };
      if (p.editable) grip = { kind: part === 'start' ? 'start' : part === 'end' ? 'end' : 'move', id: label.id, span, anchor: at.sample };
      else grip = { kind: 'move', id: label.id, span, anchor: at.sample };
    }
    lane.current.setPointerCapture(e.pointerId);
    setDrag({ grip, x: e.clientX, moved: false });
  };

  const shaped = (g: Exclude<Grip, { kind: 'new' }>, sample: number): Span => {
    const d = sample - g.anchor;
    if (g.kind === 'move') {
      const length = g.span.endSample - g.span.startSample;
      const start = Math.min(info.frames - length, Math.max(0, g.span.startSample + d));
      return { startSample: start, endSample: start + length };
    }
    if (g.kind === 'start') return { startSample: Math.min(g.span.endSample - 1, Math.max(0, g.span.startSample + d)), endSample: g.span.endSample };
    return { startSample: g.span.startSample, endSample: Math.max(g.span.startSample + 1, Math.min(info.frames, g.span.endSample + d)) };
  };

  const draftFrom = (g: Extract<Grip, { kind: 'new' }>, at: { sample: number; hz: number | null }): Draft => {
    const banded = g.anchorHz !== null && at.hz !== null && Math.abs(g.anchorHz - at.hz) >= 1;
    return {
      startSample: Math.min(g.anchor, at.sample),
      endSample: Math.max(g.anchor, at.sample),
      lowHz: banded ? Math.min(g.anchorHz!, at.hz!) : null,
      highHz: banded ? Math.max(g.anchorHz!, at.hz!) : null,
    };
  };

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag) return;
    if (!drag.moved && Math.abs(e.clientX - drag.x) < 4) return;
    if (!drag.moved) setDrag({ ...drag, moved: true });
    const at = where(e);
    const g = drag.grip;
    if (g.kind === 'new') setPreview({ draft: draftFrom(g, at) });
    else if (p.editable) setPreview({ reshape: { id: g.id, span: shaped(g, at.sample) } });
  };

  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag;
    setDrag(null);
    setPreview(null);
    if (!d || !lane.current) return;
    const at = where(e);
    const g = d.grip;
    if (!d.moved) {
      if (g.kind === 'new') {
        p.onChoose(null);
        p.onCursor(at.sample);
      }
      return;
    }
    if (g.kind === 'new') {
      const draft = draftFrom(g, at);
      if (draft.endSample! > draft.startSample!) p.onDraft(draft);
    } else if (p.editable) {
      const span = shaped(g, at.sample);
      if (span.startSample !== g.span.startSample || span.endSample !== g.span.endSample) p.onReshape(g.id, span);
    }
  };

  const viewSpan = view.endS - view.startS;
  const place = (s: Span) => {
    const a = (s.startSample / info.sampleRate - view.startS) / viewSpan;
    const b = (s.endSample / info.sampleRate - view.startS) / viewSpan;
    if (b < 0 || a > 1) return null;
    return { left: percent(Math.max(0, a)), width: percent(Math.min(1, b) - Math.max(0, a)), clippedLeft: a < 0, clippedRight: b > 1 };
  };
  const band = (low: number | null, high: number | null) =>
    low === null || high === null ? { top: '0%', height: '100%' } : { top: percent(1 - high / nyquist), height: percent((high - low) / nyquist) };

  const draft = preview?.draft ?? p.draft;
  // Tags that would cover each other go down a row (three rows, then they overlap): labels on close pulses stay readable.
  const rowEnds: number[] = [];
  const tagRow = (leftPx: number, text: string) => {
    const width = 26 + text.length * 6.6;
    let row = rowEnds.findIndex((end) => end <= leftPx);
    if (row < 0) row = rowEnds.length < 3 ? rowEnds.length : 0;
    rowEnds[row] = leftPx + width;
    return row;
  };
  const ordered = [...p.labels].sort((a, b) => a.startSample - b.startSample || a.id - b.id);
  const boxes = ordered.map((l) => {
    const span = preview?.reshape?.id === l.id ? preview.reshape.span : l;
    const at = place(span);
    if (!at) return null;
    const row = tagRow(Math.max(0, (span.startSample / info.sampleRate - view.startS) / viewSpan) * laneWidth, l.label);
    const cls = p.classes.get(l.classId);
    const colour = cls?.colour ?? '#888888';
    const chosen = l.id === p.chosenId;
    const title = `${l.label} · ${(((span.endSample - span.startSample) / info.sampleRate) * 1000).toFixed(1)} ms${l.lowHz !== null ? ` · ${l.lowHz}–${l.highHz} Hz` : ''} · ${l.annotator}`;
    return (
      <div
        key={l.id}
        className={`label-box${chosen ? ' is-chosen' : ''}`}
        style={{ left: at.left, width: at.width, ['--label-colour' as string]: colour }}
        data-testid="label-box"
        data-label-id={l.id}
        data-start-sample={span.startSample}
        data-end-sample={span.endSample}
        title={title}
      >
        <div className="label-box-wave" data-part="body">
          <span className="label-tag" data-part="body" style={row ? { top: `${2 + row * 18}px` } : undefined}>
            {cls?.hotkey !== null && cls?.hotkey !== undefined && <kbd>{cls.hotkey}</kbd>}
            {l.label}
          </span>
        </div>
        <div className="label-box-spec" style={{ height: `${specPx}px` }}>
          <div className="label-band" data-part="body" style={band(l.lowHz, l.highHz)} />
        </div>
        {chosen && p.editable && !at.clippedLeft && <div className="label-grip label-grip-start" data-part="start" />}
        {chosen && p.editable && !at.clippedRight && <div className="label-grip label-grip-end" data-part="end" />}
      </div>
    );
  });

  const draftPlace = draft.startSample !== null && draft.endSample !== null ? place({ startSample: draft.startSample, endSample: draft.endSample }) : null;
  const openEdge =
    draft.startSample !== null && draft.endSample === null
      ? draft.startSample
      : draft.endSample !== null && draft.startSample === null
        ? draft.endSample
        : null;
  const openAt = openEdge === null ? null : (openEdge / info.sampleRate - view.startS) / viewSpan;

  return (
    <div
      className="track label-track"
      data-testid="label-track"
      data-drawn={wave.drawn ? 'true' : 'false'}
      data-samples={wave.samples}
      data-spectrogram={spectrogram ? (wave.spectrumDrawn ? 'drawn' : 'loading') : 'off'}
      style={{ ['--spec-px' as string]: `${specPx}px` }}
    >
      <div className="track-gutter label-gutter">
        {p.gutter}
        {wave.failed && <div className="track-meta label-failed">audio unavailable: {wave.failed}</div>}
        {specPx > 0 && <FrequencyAxis nyquist={nyquist} heightPx={specPx} />}
      </div>
      <div
        className="track-lane label-lane"
        ref={lane}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => (setDrag(null), setPreview(null))}
      >
        <div ref={container} className="label-wave" />
        {!wave.drawn && <div className="track-loading" aria-hidden="true" />}
        <TrackMarks
          axis={{ startUs: view.startS * 1e6, endUs: view.endS * 1e6 }}
          marks={p.pulses.map((q) => ({
            kind: 'pulse',
            timeUs: (q.startSample / info.sampleRate) * 1e6,
            title: `${q.source === 'machine' ? 'pulse picked by the sensor network' : 'detected pulse'} at sample ${q.startSample}`,
          }))}
        />
        <div className="label-layer">{boxes}</div>
        {draftPlace && (
          <div
            className="label-draft"
            data-testid="draft"
            data-start-sample={draft.startSample}
            data-end-sample={draft.endSample}
            style={{ left: draftPlace.left, width: draftPlace.width }}
          >
            <div className="label-box-wave" />
            <div className="label-box-spec" style={{ height: `${specPx}px` }}>
              <div className="label-band" style={band(draft.lowHz, draft.highHz)} />
            </div>
          </div>
        )}
        {openAt !== null && openAt >= 0 && openAt <= 1 && <div className="label-open-edge" data-testid="draft-edge" style={{ left: percent(openAt) }} />}
      </div>
    </div>
  );
}

/** The spectrogram's frequency scale beside it, in the gutter, so it stays in sight when the track is zoomed and scrolled. */
function FrequencyAxis({ nyquist, heightPx }: { nyquist: number; heightPx: number }) {
  const steps = [100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 25000, 50000];
  const step = steps.find((s) => (s / nyquist) * heightPx >= 28) ?? 50000;
  const ticks: number[] = [];
  for (let f = 0; f <= nyquist + 1e-9; f += step) ticks.push(f);
  return (
    <div className="freq-axis" style={{ height: `${heightPx}px` }} aria-hidden="true">
      {ticks.map((f) => (
        <span key={f} className="freq-tick" style={{ bottom: percent(f / nyquist) }}>
          {f >= 1000 ? `${+(f / 1000).toFixed(2)} kHz` : `${f} Hz`}
        </span>
      ))}
    </div>
  );
}
