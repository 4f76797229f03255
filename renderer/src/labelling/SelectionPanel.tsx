import { useEffect, useState, type FormEvent } from 'react';
import type { Label, LabelClass, ProjectClip } from '../../../src/contract/index.ts';
import { toSample, type Draft } from './timeline.ts';

interface Props {
  clip: ProjectClip;
  chosen: Label | null;
  draft: Draft;
  classes: readonly LabelClass[];
  editable: boolean;
  onDraft(d: Draft): void;
  onUpdate(change: Partial<Pick<Label, 'startSample' | 'endSample' | 'lowHz' | 'highHz' | 'classId'>>): void;
  onDelete(): void;
  onLoop(): void;
  onError(message: string): void;
}

const text = (v: number | null) => (v === null ? '' : String(v));

/**
 * The chosen label or the selection being made, in numbers a trainer can type: times in seconds
 * (kept as whole samples), the frequency band in Hz, the class. B jumps here; Enter applies; Esc
 * goes back to the track.
 */
export function SelectionPanel({ clip, chosen, draft, classes, editable, onDraft, onUpdate, onDelete, onLoop, onError }: Props) {
  const sr = clip.clip.sampleRate;
  const nyquist = sr / 2;
  const start = chosen ? chosen.startSample : draft.startSample;
  const end = chosen ? chosen.endSample : draft.endSample;
  const low = chosen ? chosen.lowHz : draft.lowHz;
  const high = chosen ? chosen.highHz : draft.highHz;
  const [form, setForm] = useState({ start: '', end: '', low: '', high: '' });
  useEffect(() => {
    setForm({ start: start === null ? '' : String(start / sr), end: end === null ? '' : String(end / sr), low: text(low), high: text(high) });
  }, [start, end, low, high, sr]);

  if (start === null && end === null) {
    return (
      <div className="selection-panel is-empty" data-testid="selection-panel">
        <span className="muted">
          Nothing selected. <kbd>]</kbd> steps to the next pulse and <kbd>S</kbd> selects it; or <kbd>I</kbd> and <kbd>O</kbd> set the edges at the cursor, or
          drag on the track (on the spectrogram for a band). Then a class key <kbd>1</kbd>–<kbd>9</kbd>.
        </span>
      </div>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const a = form.start.trim() === '' ? null : toSample(Number(form.start), sr);
    const b = form.end.trim() === '' ? null : toSample(Number(form.end), sr);
    const lo = form.low.trim() === '' ? null : Number(form.low);
    const hi = form.high.trim() === '' ? null : Number(form.high);
    if ([a, b, lo, hi].some((v) => v !== null && !Number.isFinite(v))) return onError('Times and frequencies are plain numbers.');
    if (a !== null && b !== null && !(a >= 0 && a < b && b <= clip.clip.frames))
      return onError(`The times must satisfy 0 ≤ start < end ≤ ${(clip.clip.frames / sr).toFixed(6)} s.`);
    if ((lo === null) !== (hi === null)) return onError('A band needs both a low and a high frequency (or neither).');
    if (lo !== null && hi !== null && !(lo >= 0 && lo < hi && hi <= nyquist)) return onError(`The band must satisfy 0 ≤ low < high ≤ ${nyquist} Hz.`);
    if (chosen) {
      if (!editable) return;
      onUpdate({ ...(a !== null ? { startSample: a } : {}), ...(b !== null ? { endSample: b } : {}), lowHz: lo, highHz: hi });
    } else onDraft({ startSample: a, endSample: b, lowHz: lo, highHz: hi });
    (document.querySelector('[data-focus-home]') as HTMLElement | null)?.focus();
  };
  const field = (key: keyof typeof form, label: string, unit: string, testId: string) => (
    <label>
      {label}
      <span className="field-unit">
        <input
          value={form[key]}
          onChange={(e) => setForm({ ...form, [key]: e.target.value })}
          inputMode="decimal"
          size={11}
          data-testid={testId}
          readOnly={!editable && chosen !== null}
        />
        {unit}
      </span>
    </label>
  );
  const length = start !== null && end !== null ? end - start : null;
  const cls = chosen ? classes.find((c) => c.id === chosen.classId) : null;
  return (
    <form className="selection-panel" onSubmit={submit} data-testid="selection-panel" data-kind={chosen ? 'label' : 'draft'}>
      <div className="selection-title" data-testid="sel-title">
        {chosen ? (
          <>
            <strong>
              <span className="swatch" style={{ background: cls?.colour }} /> {chosen.label}
            </strong>
            <span className="muted">
              label #{chosen.id} by {chosen.annotator}
              {chosen.updatedBy !== chosen.annotator ? `, changed by ${chosen.updatedBy}` : ''} · Esc lets go
            </span>
          </>
        ) : (
          <>
            <strong>Selection</strong>
            <span className="muted">{length === null ? 'one edge set: I or O sets the other' : 'not labelled yet: press a class key 1–9'}</span>
          </>
        )}
      </div>
      {field('start', 'start', 's', 'sel-start')}
      {field('end', 'end', 's', 'sel-end')}
      <span
        className="selection-length"
        data-testid="sel-samples"
        title={start !== null ? `from sample ${start}${end !== null ? ` to sample ${end} (exclusive)` : ''}` : undefined}
      >
        {length !== null ? `${((length / sr) * 1000).toFixed(2)} ms · ${length} samples` : '—'}
      </span>
      {field('low', 'band low', 'Hz', 'band-low')}
      {field('high', 'high', 'Hz', 'band-high')}
      <button type="submit" className="tool" disabled={chosen !== null && !editable}>
        Apply <kbd>Enter</kbd>
      </button>
      {chosen && (
        <label>
          class
          <select value={chosen.classId} onChange={(e) => onUpdate({ classId: Number(e.target.value) })} disabled={!editable} data-testid="sel-class">
            {classes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.hotkey !== null ? `${c.hotkey} · ` : ''}
                {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="button" className="tool" onClick={onLoop} disabled={length === null} title="Play it in a loop (L)">
        loop <kbd>L</kbd>
      </button>
      {chosen && editable && (
        <button type="button" className="tool tool-danger" onClick={onDelete} title="Delete this label (Del)">
          Delete <kbd>Del</kbd>
        </button>
      )}
    </form>
  );
}
