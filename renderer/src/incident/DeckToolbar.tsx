import type { Alignment } from './deck.ts';
import type { DeckPlayerState } from './playback/DeckPlayer.ts';
import { RATES } from './playback/mix.ts';

interface Props {
  state: DeckPlayerState;
  zoom: number;
  alignment: Alignment;
  spectrograms: boolean;
  selected: string | null;
  onPlay(): void;
  onRate(r: number): void;
  onLoop(): void;
  onZoom(factor: number): void;
  onAlign(): void;
  onSpectrograms(): void;
}

/** The deck's controls, each with its key: what the keyboard does, for the mouse and for reading. */
export function DeckToolbar({ state, zoom, alignment, spectrograms, selected, onPlay, onRate, onLoop, onZoom, onAlign, onSpectrograms }: Props) {
  return (
    <div className="deck-toolbar" role="toolbar" aria-label="Playback">
      <button
        type="button"
        className="tool tool-play"
        onClick={onPlay}
        aria-pressed={state.playing}
        data-testid="deck-play"
        title="Play or pause all tracks (Space)"
      >
        {state.playing ? '❚❚ Pause' : '▶ Play all'}
      </button>
      <label className="tool" title="Playback rate, pitch kept (, and .)">
        <span className="tool-caption">rate</span>
        <select value={state.rate} onChange={(e) => onRate(Number(e.target.value))} data-testid="deck-rate">
          {RATES.map((r) => (
            <option key={r} value={r}>
              {r}×
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="tool"
        onClick={onLoop}
        aria-pressed={state.loopOn}
        disabled={!state.loop}
        title="Loop the selection (L); drag across the tracks, or [ and ], to select"
      >
        loop
      </button>
      <span className="tool-group" role="group" aria-label="Zoom">
        <button type="button" className="tool" onClick={() => onZoom(0.5)} disabled={zoom <= 1.001} title="Zoom out (Shift Z)">
          −
        </button>
        <span className="tool-caption zoom-level" data-testid="deck-zoom">
          {zoom < 10 ? zoom.toFixed(1) : Math.round(zoom)}×
        </span>
        <button type="button" className="tool" onClick={() => onZoom(2)} title="Zoom in (Z)">
          +
        </button>
      </span>
      <button
        type="button"
        className="tool"
        onClick={onAlign}
        aria-pressed={alignment === 'arrival'}
        title="Align on absolute time or on each track's first arrival (T)"
      >
        {alignment === 'absolute' ? 'absolute time' : 'first arrivals'}
      </button>
      <button
        type="button"
        className="tool"
        onClick={onSpectrograms}
        aria-pressed={spectrograms}
        data-testid="deck-spectrograms"
        title="Spectrograms under the tracks (G)"
      >
        spectrogram
      </button>
      <span className="tool-status muted" title={selected ? `S solo, M mute, P alone, Shift ↑ ↓ gain` : 'select a track with ↑ ↓'}>
        {selected ? (
          <>
            track <strong>{selected}</strong>
          </>
        ) : (
          '↑ ↓ track'
        )}
      </span>
    </div>
  );
}
