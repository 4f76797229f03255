import './relocate.css';
import { frameFor } from '../map/frame.ts';
import { FixLayers } from './FixLayers.tsx';
import type { Relocation } from './useRelocation.ts';

/** The map's sources while picks can be re-located: the machine's fix, and the reviewer's beside it where there is one. */
export function RelocationMapLayers({ relocation }: { relocation: Relocation }) {
  const { alert } = relocation;
  const machine = alert.solutions.filter((s) => s.origin === 'machine').at(-1)?.shots ?? [];
  return <FixLayers machine={machine} reviewer={relocation.reviewerFixes} frame={frameFor(alert.coordinates)} current={relocation.shotIndex} />;
}

/** The legend entries that go with those layers. */
export function RelocationLegend({ relocation }: { relocation: Relocation }) {
  const shown = [...relocation.reviewerFixes.values()].some((f) => f.shot !== null);
  if (!shown) return <span className="legend-source">source, 95 % ellipse</span>;
  return (
    <>
      <span className="legend-machine">machine</span>
      <span className="legend-reviewer">
        reviewer{[...relocation.reviewerFixes.values()].some((f) => f.source === 'draft') ? ' (not saved)' : ''}, 95 % ellipse
      </span>
    </>
  );
}
