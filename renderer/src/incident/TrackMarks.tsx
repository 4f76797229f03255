import { axisFraction, percent, type TimeAxis } from './axis.ts';
import type { TrackMark } from './track-layout.ts';

/** Pulses picked on this track, where the located shot predicts its arrival, and the shot's own time. */
export function TrackMarks({ axis, marks }: { axis: TimeAxis; marks: readonly TrackMark[] }) {
  return (
    <div className="track-marks" aria-hidden="true">
      {marks.map((m, i) => {
        const f = axisFraction(axis, m.timeUs);
        if (f < 0 || f > 1) return null;
        return (
          <span key={i} className={`mark mark-${m.kind}${m.tag ? ` mark-${m.tag.kind}` : ''}`} style={{ left: percent(f) }} title={m.title}>
            {m.tag && <span className="mark-tag">{m.tag.label}</span>}
          </span>
        );
      })}
    </div>
  );
}
