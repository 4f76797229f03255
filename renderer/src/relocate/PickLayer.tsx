import './relocate.css';
import { useRef, type PointerEvent } from 'react';
import { axisFraction, percent, type TimeAxis } from '../incident/axis.ts';
import type { PlacedRow } from '../incident/deck.ts';
import { formatShiftMs } from './compare.ts';
import { pickOf, placePick } from './draft.ts';
import type { Relocation } from './useRelocation.ts';

interface Props {
  row: PlacedRow;
  viewAxis: TimeAxis;
  relocation: Relocation;
  /** This track is the selected one: its pick of the current shot is the one the keys move. */
  selected: boolean;
  onSelect(shotIndex: number): void;
}

/** Pixels a pointer must travel before a press on a pick becomes a drag (a click only selects it). */
const DRAG_PX = 3;
/**
 * With Shift held a drag moves the pick a tenth of the pointer's travel: at the opening zoom one
 * pixel is about 10 ms of a 4 s clip, too coarse for a pick that matters to the millisecond.
 */
export const FINE_DRAG = 0.1;

/**
 * The picks on one track: the current shot's as a handle to drag (or a dropped one, hollow),
 * the other shots' as thin ticks, and where the reviewer's unsaved fix expects the shot here.
 * A drag moves the pick by the pointer's travel, so grabbing it a little off its line does not
 * make it jump (a tenth of it with Shift held, see FINE_DRAG); the fix follows on the map while
 * the pointer moves.
 */
export function PickLayer({ row, viewAxis, relocation, selected, onSelect }: Props) {
  const { track } = row;
  const box = useRef<HTMLDivElement>(null);
  const drag = useRef<{ pointerId: number; startX: number; lastX: number; offsetS: number; moved: boolean } | null>(null);
  const current = relocation.shotIndex;
  const place = (offsetS: number) => axisFraction(viewAxis, track.clipStartUs + offsetS * 1e6 + row.shiftUs);
  const visible = (f: number) => f >= 0 && f <= 1;

  const pick = current === null ? undefined : pickOf(relocation.draft, current, track.sensorId);
  const basePick = current === null ? undefined : pickOf(relocation.base, current, track.sensorId);
  const fix = current === null ? undefined : relocation.reviewerFixes.get(current);
  const c = relocation.alert.solutions.at(-1)?.speedOfSoundMs ?? null;
  const predictedUs = fix?.shot && c ? fix.shot.timeUs + (Math.hypot(track.local.x - fix.shot.local.x, track.local.y - fix.shot.local.y) / c) * 1e6 : null;
  const many = relocation.draft.shots.length > 1;

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || current === null || !pick) return;
    e.stopPropagation(); // the deck would seek or start a loop
    onSelect(current);
    if (!relocation.editable) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { pointerId: e.pointerId, startX: e.clientX, lastX: e.clientX, offsetS: pick.offsetS, moved: false };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    const width = box.current?.getBoundingClientRect().width ?? 0;
    if (!d || d.pointerId !== e.pointerId || current === null || width === 0) return;
    if (!d.moved && Math.abs(e.clientX - d.startX) < DRAG_PX) return;
    d.moved = true;
    // Step by step, so pressing or releasing Shift mid-drag changes the speed without a jump.
    const dx = (e.clientX - d.lastX) * (e.shiftKey ? FINE_DRAG : 1);
    d.lastX = e.clientX;
    d.offsetS = Math.min(Math.max(d.offsetS + ((dx / width) * (viewAxis.endUs - viewAxis.startUs)) / 1e6, 0), track.clip.durationS);
    const offsetS = d.offsetS;
    relocation.setDraft((draft) => placePick(draft, current, track.sensorId, offsetS, track.clip.durationS));
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.pointerId !== e.pointerId) return;
    e.stopPropagation();
    drag.current = null;
  };

  const state = !pick ? null : !pick.used ? 'dropped' : !basePick?.used ? 'added' : Math.abs(basePick.offsetS - pick.offsetS) > 1e-7 ? 'moved' : 'kept';
  const f = pick ? place(pick.offsetS) : NaN;
  const title = pick
    ? `Shot ${current}: ${state === 'dropped' ? 'dropped from the fix' : state === 'added' ? 'added by you' : state === 'moved' ? `moved ${formatShiftMs((pick.offsetS - basePick!.offsetS) * 1000)}` : 'pick'} on ${track.sensorId}` +
      (relocation.editable ? ' · drag to move, with Shift for a tenth of the travel' : '')
    : '';
  return (
    <div className="pick-layer" ref={box}>
      {many &&
        relocation.draft.shots
          .filter((s) => s.index !== current)
          .map((s) => {
            const p = s.picks.get(track.sensorId);
            const g = p ? place(p.offsetS) : NaN;
            return p && visible(g) ? (
              <span key={s.index} className={`pick-other${p.used ? '' : ' is-dropped'}`} style={{ left: percent(g) }} data-shot={s.index}>
                <span>{s.index}</span>
              </span>
            ) : null;
          })}
      {predictedUs !== null && fix?.source === 'draft' && visible(axisFraction(viewAxis, predictedUs + row.shiftUs)) && (
        <span
          className="pick-predicted"
          style={{ left: percent(axisFraction(viewAxis, predictedUs + row.shiftUs)) }}
          title="arrival your fix predicts here"
          data-testid="pick-predicted"
        />
      )}
      {pick && visible(f) && (
        <div
          className={`pick-handle is-${state}${selected ? ' is-selected' : ''}${relocation.editable ? ' is-editable' : ''}`}
          style={{ left: percent(f) }}
          role="slider"
          tabIndex={-1}
          aria-label={`Pick of shot ${current} on ${track.sensorId}`}
          aria-valuemin={0}
          aria-valuemax={track.clip.durationS}
          aria-valuenow={pick.offsetS}
          aria-valuetext={`${pick.offsetS.toFixed(6)} s into the clip${state === 'dropped' ? ', dropped' : ''}`}
          data-testid="pick-handle"
          data-sensor={track.sensorId}
          data-shot={current}
          data-state={state}
          data-offset-s={pick.offsetS}
          title={title}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
        >
          <span className="pick-knob">{many ? current : ''}</span>
        </div>
      )}
    </div>
  );
}
