import type { DeckPlayerState } from '../incident/playback/DeckPlayer.ts';
import { RATES } from '../incident/playback/mix.ts';
import type { FoundPulse } from './pulses.ts';
import { formatSampleTime, formatStep } from './timeline.ts';

interface Props {
  state: DeckPlayerState;
  zoom: number;
  spectrogram: boolean;
  cursor: number;
  step: number;
  sampleRate: number;
  pulses: readonly FoundPulse[];
  samplesDecoded: boolean;
  canLoop: boolean;
  onPlay(): void;
  onLoop(): void;
  onRate(r: number): void;
  onZoom(factor: number): void;
  onFit(): void;
  onSpectrogram(): void;
}

/** Transport, zoom and view of the labelling track, each with its key; where the cursor is and how far a key moves it. */
export function LabelToolbar(p: Props) {
  const { state } = p;
  const rough = !p.samplesDecoded && p.pulses.some((q) => q.source === 'peaks');
  return (
    <div className="deck-toolbar label-toolbar" role="toolbar" aria-label="Playback and view">
      <button
        type="button"
        className="tool tool-play"
        onClick={p.onPlay}
        aria-pressed={state.playing}
        title="Play or pause from the cursor (Space)"
        tabIndex={-1}
      >
        {state.playing ? '❚❚ Pause' : '▶ Play'}
      </button>
      <button
        type="button"
        className="tool"
        onClick={p.onLoop}
        aria-pressed={state.loopOn}
        disabled={!p.canLoop}
        title="Play the selection in a loop (L)"
        tabIndex={-1}
      >
        loop <kbd>L</kbd>
      </button>
      <label className="tool" title="Playback rate, pitch kept (, and .)">
        <select value={state.rate} onChange={(e) => p.onRate(Number(e.target.value))} tabIndex={-1}>
          {RATES.map((r) => (
            <option key={r} value={r}>
              {r}×
            </option>
          ))}
        </select>
      </label>
      <span className="tool-group" role="group" aria-label="Zoom">
        <button type="button" className="tool" onClick={() => p.onZoom(0.5)} disabled={p.zoom <= 1.001} title="Zoom out (Shift Z)" tabIndex={-1}>
          −
        </button>
        <span className="tool-caption zoom-level">{p.zoom < 10 ? p.zoom.toFixed(1) : Math.round(p.zoom)}×</span>
        <button type="button" className="tool" onClick={() => p.onZoom(2)} title="Zoom in around the cursor (Z)" tabIndex={-1}>
          +
        </button>
        <button type="button" className="tool" onClick={p.onFit} title="Fit the selection, or the whole clip (F)" tabIndex={-1}>
          fit <kbd>F</kbd>
        </button>
      </span>
      <button type="button" className="tool" onClick={p.onSpectrogram} aria-pressed={p.spectrogram} title="Spectrogram under the waveform (G)" tabIndex={-1}>
        spectrogram <kbd>G</kbd>
      </button>
      <span className="label-readout" data-testid="cursor-readout">
        <span title={`The cursor, at sample ${p.cursor}: where I and O put an edge, and where playback starts`}>
          cursor <strong>{formatSampleTime(p.cursor, p.sampleRate)}</strong>
        </span>
        <span title={`How far ← and → move the cursor, and Ctrl ← → an edge: ${formatStep(p.step, p.sampleRate)}. Zoom in for finer steps.`}>
          step <strong>{formatStep(p.step, p.sampleRate).replace(/ \(.*/, '')}</strong>
        </span>
        <span
          title={
            rough
              ? 'Pulses found in the waveform overview, to about a millisecond, until the samples are decoded'
              : 'Pulses found in the samples, to the sample'
          }
        >
          {p.pulses.length} pulse{p.pulses.length === 1 ? '' : 's'} <kbd>[</kbd> <kbd>]</kbd>
        </span>
      </span>
    </div>
  );
}
