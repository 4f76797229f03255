import './relocate.css';
import { useEffect, useRef, type RefObject } from 'react';
import type { Shot } from '../../../src/contract/index.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { formatMetres } from '../ui/format.ts';
import { compareFixes, formatShiftMs, type FixFigures } from './compare.ts';
import { addShot, machineShot, pickOf, shotChanges } from './draft.ts';
import type { Relocation } from './useRelocation.ts';

interface Props {
  relocation: Relocation;
  selected: string | null;
  /** A line the keys and the deck leave for the reviewer (what a key did, why it did nothing). */
  notice: string | null;
  notes: string;
  onNotes(notes: string): void;
  notesField: RefObject<HTMLInputElement | null>;
  onSave(): void;
}

const rms = (f: FixFigures | null) => (f?.residualRmsMs !== null && f?.residualRmsMs !== undefined ? `${f.residualRmsMs.toFixed(2)} ms` : '—');
// Full axes: "80 m by 30 m" is how a person reads an ellipse's size (semi-axes would read as half of it).
const ellipse = (f: FixFigures | null) => (f?.ellipse95 ? `${formatMetres(2 * f.ellipse95.semiMajorM)} by ${formatMetres(2 * f.ellipse95.semiMinorM)}` : '—');

/**
 * Under the tracks: which shot's picks are shown, the machine's fix beside the reviewer's
 * (position shift, residual rms, sensors used, the 95 % ellipse), the selected pick, and saving.
 */
export function RelocationBar({ relocation, selected, notice, notes, onNotes, notesField, onSave }: Props) {
  const { alert, draft, base, shotIndex, editable, dirty } = relocation;
  const machine: Shot | null = shotIndex === null ? null : machineShot(alert, shotIndex);
  const fix = shotIndex === null ? undefined : relocation.reviewerFixes.get(shotIndex);
  const cmp = compareFixes(machine, fix?.shot ?? null);
  const total = draft.shots.reduce((n, s) => {
    const c = shotChanges(draft, base, s.index);
    return n + c.moved.length + c.added.length + c.removed.length;
  }, 0);
  const newest = alert.solutions.at(-1);
  const decided = alert.status === 'decided';
  // A burst of many rounds: number-only tabs in a strip that scrolls, the current one kept in view.
  const compactShots = draft.shots.length > 4;
  const currentShot = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    currentShot.current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [shotIndex]);

  const pick = shotIndex !== null && selected ? pickOf(draft, shotIndex, selected) : undefined;
  const basePick = shotIndex !== null && selected ? pickOf(base, shotIndex, selected) : undefined;
  const residual = selected && fix?.shot ? fix.shot.residualsMs[selected] : undefined;
  const selectedLine =
    selected && shotIndex !== null
      ? pick
        ? `${selected} · shot ${shotIndex} · ${pick.offsetS.toFixed(6)} s into its clip` +
          (basePick && Math.abs(basePick.offsetS - pick.offsetS) > 1e-7
            ? ` · ${formatShiftMs((pick.offsetS - basePick.offsetS) * 1000)} from v${base.baseVersion}`
            : '') +
          (!pick.used ? ' · dropped' : residual !== undefined ? ` · residual ${formatShiftMs(residual)}` : '')
        : `${selected} has no pick for shot ${shotIndex}${editable ? ': A picks it at the playhead, or double-click its track' : ''}`
      : null;

  const state = dirty
    ? `${total} change${total === 1 ? '' : 's'} not saved`
    : newest?.origin === 'reviewer'
      ? `v${newest.version}: re-located by ${newest.createdBy}`
      : newest
        ? `v${newest.version}: the machine\u2019s picks`
        : 'no located shot';

  return (
    <section
      className={`reloc-bar${dirty ? ' is-dirty' : ''}`}
      aria-label="Picks and location"
      data-testid="relocation"
      data-dirty={dirty}
      data-previews={relocation.previews}
      data-preview-ms={relocation.previewMs?.toFixed(2) ?? ''}
      data-shot={shotIndex ?? ''}
    >
      <div className="reloc-head">
        <span className="reloc-title">Picks</span>
        <div className="reloc-shots" role="group" aria-label="Shot" data-compact={compactShots}>
          {compactShots && <span className="reloc-shots-label">Shot</span>}
          {draft.shots.map((s) => {
            const c = shotChanges(draft, base, s.index);
            const n = c.moved.length + c.added.length + c.removed.length;
            const current = s.index === shotIndex;
            return (
              <button
                key={s.index}
                ref={current ? currentShot : undefined}
                type="button"
                className="tool reloc-shot"
                aria-pressed={current}
                aria-label={`Shot ${s.index}${n > 0 ? `, ${n} changes` : ''}`}
                onClick={() => relocation.setShotIndex(s.index)}
                tabIndex={-1}
              >
                {compactShots ? s.index : `Shot ${s.index}`}
                {n > 0 && <span className="reloc-count">{n}</span>}
              </button>
            );
          })}
          {editable && (
            <button
              type="button"
              className="tool"
              title="A shot the machine did not locate: add picks on three sensors or more"
              onClick={() => {
                const { draft: next, index } = addShot(draft);
                relocation.setDraft(() => next);
                relocation.setShotIndex(index);
              }}
              tabIndex={-1}
            >
              + shot
            </button>
          )}
          {draft.shots.length > 1 && <kbd title="next shot; Shift J the previous">J</kbd>}
        </div>
        <span className="reloc-state" data-testid="reloc-state">
          {state}
        </span>
      </div>
      <table className="reloc-table" data-testid="reloc-table">
        <thead>
          <tr>
            <th scope="col">Shot {shotIndex ?? '—'}</th>
            <th scope="col">Position shift</th>
            <th scope="col">Residual rms</th>
            <th scope="col">Sensors used</th>
            <th scope="col">95 % ellipse</th>
          </tr>
        </thead>
        <tbody>
          <tr className="reloc-machine">
            <th scope="row">
              <span className="swatch swatch-machine" />
              Machine
            </th>
            <td>{machine ? '—' : 'not located'}</td>
            <td>{rms(cmp.machine)}</td>
            <td title={cmp.machine?.sensorsUsed.join(', ')}>{cmp.machine ? cmp.machine.sensorsUsed.length : '—'}</td>
            <td>{ellipse(cmp.machine)}</td>
          </tr>
          <tr className="reloc-reviewer" data-testid="reloc-reviewer">
            <th scope="row">
              <span className="swatch swatch-reviewer" />
              Reviewer
            </th>
            {fix?.shot ? (
              <>
                <td data-testid="reloc-shift">{cmp.shiftM !== null ? formatMetres(cmp.shiftM) : 'new shot'}</td>
                <td data-testid="reloc-rms">{rms(cmp.reviewer)}</td>
                <td data-testid="reloc-sensors" title={cmp.reviewer?.sensorsUsed.join(', ')}>
                  {cmp.reviewer!.sensorsUsed.length}
                  {cmp.droppedSensors.length > 0 && <span className="reloc-minus"> −{cmp.droppedSensors.join(' −')}</span>}
                  {cmp.addedSensors.length > 0 && cmp.machine && <span className="reloc-plus"> +{cmp.addedSensors.join(' +')}</span>}
                </td>
                <td>{ellipse(cmp.reviewer)}</td>
              </>
            ) : (
              <td colSpan={4} className="muted" data-testid="reloc-shift">
                {fix?.problem ?? (fix?.source === 'draft' ? 'solving…' : editable ? 'move, add or drop a pick to re-locate' : 'no re-location')}
              </td>
            )}
          </tr>
        </tbody>
      </table>
      {editable && (
        <div className="reloc-actions">
          <button
            type="button"
            className="tool"
            disabled={!dirty || relocation.saving}
            onClick={relocation.discard}
            tabIndex={-1}
            title="Discard the pick changes not saved (Shift R)"
          >
            Discard
          </button>
          <button
            type="button"
            className="tool reloc-save"
            disabled={!dirty || relocation.saving}
            onClick={onSave}
            data-testid="reloc-save"
            title="Save the re-location: your picks and a new solution version"
            tabIndex={-1}
          >
            Save <kbd>Ctrl S</kbd>
          </button>
        </div>
      )}
      {editable && decided && (
        <input
          ref={notesField}
          className="reloc-notes"
          placeholder="Why the location changes (sent to the agencies with the Update)"
          aria-label="Why the location changes"
          data-testid="reloc-notes"
          value={notes}
          maxLength={4000}
          onChange={(e) => onNotes(e.target.value)}
          onKeyDown={(e) => {
            // In a text field the seat's keys stay the typist's: Enter or Ctrl S saves from here; Escape leaves the field.
            if (e.key === 'Enter' || ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's')) {
              e.preventDefault();
              onSave();
            } else if (e.key === 'Escape') {
              e.currentTarget.blur();
            }
          }}
        />
      )}
      <p className="reloc-hint" aria-live="polite" data-testid="reloc-hint">
        {notice ??
          selectedLine ??
          (editable
            ? 'Drag a pick (Shift: fine), or select a track (↑ ↓): Ctrl ← → one sample, Ctrl Shift ← → 1 ms, A pick at the playhead, D drop the sensor'
            : '')}
      </p>
      <ErrorNote error={relocation.error} context="Re-location" />
    </section>
  );
}
