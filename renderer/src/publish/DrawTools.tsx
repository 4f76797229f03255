import { closeOpen, countVertices, draftProblems, emptyDraft, removePolygon, removeVertex, type DrawDraft, type VertexRef } from './draw-geometry.ts';

export interface DrawToolsProps {
  draft: DrawDraft;
  selected: VertexRef | null;
  refusal: string | null;
  onChange: (d: DrawDraft) => void;
  onSelect: (v: VertexRef | null) => void;
  onRefused: (m: string | null) => void;
}

/** The buttons beside the map while drawing, and what still keeps the drawing from being saved. */
export function DrawTools({ draft, selected, refusal, onChange, onSelect, onRefused }: DrawToolsProps) {
  const problems = draftProblems(draft).filter((p) => draft.polygons.length > 0 || draft.open.length > 0 || !p.startsWith('draw at least'));
  const closing = () => {
    const r = closeOpen(draft);
    if (r.ok) onChange(r.value);
    else onRefused(r.error);
  };
  const removeSelected = () => {
    if (!selected) return;
    const r = removeVertex(draft, selected);
    onSelect(null);
    if (r.ok) onChange(r.value);
    else onRefused(r.error);
  };
  return (
    <div data-testid="draw-tools">
      <p className="note">
        Click the map to add vertices; click the first (green) vertex or “Close polygon” to finish one. Drag a vertex to move it; right-click it, or select it
        and press “Remove vertex”, to remove it. Draw as many polygons as the jurisdiction has.
      </p>
      <div className="draw-tools">
        <button onClick={closing} disabled={draft.open.length < 3}>
          Close polygon
        </button>
        <button onClick={() => onChange({ ...draft, open: draft.open.slice(0, -1) })} disabled={draft.open.length === 0}>
          Undo last vertex
        </button>
        <button onClick={removeSelected} disabled={!selected}>
          Remove vertex
        </button>
        {draft.polygons.map((_, i) => (
          <button key={i} onClick={() => onChange(removePolygon(draft, i))}>
            Remove polygon {i + 1}
          </button>
        ))}
        <button onClick={() => (onSelect(null), onChange(emptyDraft()))} disabled={countVertices(draft) === 0}>
          Clear
        </button>
        <span className="dim" data-testid="draw-summary">
          {draft.polygons.length} polygon{draft.polygons.length === 1 ? '' : 's'}, {countVertices(draft)} vertices
          {draft.open.length ? ` (${draft.open.length} open)` : ''}
        </span>
      </div>
      {refusal && (
        <p className="error" role="alert">
          {refusal}
        </p>
      )}
      {problems.length > 0 && (
        <ul className="draw-tools" data-testid="draw-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
