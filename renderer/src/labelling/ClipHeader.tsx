import type { ProjectClip } from '../../../src/contract/index.ts';
import { formatUtcDateTime } from '../ui/format.ts';

/** Which clip this is, where it came from, and the way to the clips beside it. */
export function ClipHeader({
  clip,
  position,
  labels,
  state,
  onStep,
}: {
  clip: ProjectClip;
  position: { index: number; count: number };
  labels: number | null;
  /** This trainer's state of the clip. */
  state: 'todo' | 'done' | 'skipped';
  onStep(d: 1 | -1): void;
}) {
  const info = clip.clip;
  const origin =
    clip.origin === 'alert'
      ? `alert ${clip.alertId} · sensor ${clip.sensorId}${clip.clipStartUs !== null ? ` · ${formatUtcDateTime(clip.clipStartUs)}` : ''}`
      : `imported audio · site: ${clip.site} · recorder: ${clip.sensorKey}`;
  return (
    <header className="clip-header">
      <h1 title={clip.name}>{clip.name}</h1>
      <span className="clip-facts" title={`${origin} · ${info.frames} samples`}>
        {origin} · {info.durationS.toFixed(3)} s · {info.sampleRate} Hz · {info.channels === 1 ? 'mono' : `${info.channels} channels`} · {info.format}
      </span>
      <span className="clip-count" data-testid="clip-label-count">
        {labels === null ? '…' : `${labels} label${labels === 1 ? '' : 's'}`}
      </span>
      <span
        className={`clip-state-badge clip-badge-${state}`}
        data-testid="clip-state"
        data-state={state}
        title="Yours: D marks it done, K skips it, N opens the next to do"
      >
        {state === 'todo' ? 'to do' : state}
      </span>
      <span className="clip-nav" role="group" aria-label="Clips">
        <button type="button" className="tool" onClick={() => onStep(-1)} disabled={position.index <= 0} title="Previous clip (PgUp)">
          ‹
        </button>
        <span className="tool-caption">
          clip {position.index + 1} of {position.count}
        </span>
        <button type="button" className="tool" onClick={() => onStep(1)} disabled={position.index >= position.count - 1} title="Next clip (PgDn)">
          ›
        </button>
      </span>
    </header>
  );
}
