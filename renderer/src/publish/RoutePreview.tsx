import { useEffect, useState } from 'react';
import { NOT_GUNFIRE_CLASSES, type DecisionClass, type RoutePreview as Preview } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';

/** One line per outcome: the decision panel is tight on a small screen and the Record button must stay in view. */
function sentence(p: Preview): string {
  switch (p.outcome) {
    case 'routed':
      return 'Goes to';
    case 'already_published':
      return 'Published: a change goes to';
    case 'unrouted':
      return 'No jurisdiction holds this location: an admin will decide';
    case 'not_routable':
      return 'Not routable: local coordinates, never published';
    case 'not_published':
      return `Not published: ${p.message}`;
  }
}

/**
 * Where a gunfire decision will go, shown before it is recorded: the agencies whose
 * jurisdiction holds the location, or why none will get it. Asked again whenever the class
 * changes (an agency may take gunfire but not probable gunfire). Nothing is shown for classes
 * that are never published. The core's full reason is the tooltip.
 */
export function RoutePreview({ alertId, cls }: { alertId: number; cls: DecisionClass | null }) {
  const client = useClient();
  const [preview, setPreview] = useState<{ cls: DecisionClass; value: Preview } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const published = cls !== null && !NOT_GUNFIRE_CLASSES.includes(cls) && cls !== 'not_reviewable';
  useEffect(() => {
    if (!published) return;
    let live = true;
    void client.call('previewRoute', { alertId, class: cls }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setPreview({ cls, value: r.value });
        setProblem(null);
      } else setProblem(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [client, alertId, cls, published]);
  if (!published) return null;
  if (problem)
    return (
      <p className="route-preview route-unknown" role="status">
        Where it goes is unknown: {problem}
      </p>
    );
  if (!preview) return <p className="route-preview route-loading muted">Finding the agencies…</p>;
  // The previous class's answer stays, dimmed, until the new one arrives, so the panel does not jump.
  const { value } = preview;
  const agencies = value.outcome === 'routed' || (value.outcome === 'already_published' && value.agencies.length > 0);
  return (
    <p
      className={`route-preview route-${value.outcome}${preview.cls !== cls ? ' is-stale' : ''}`}
      role="status"
      title={value.message}
      data-testid="route-preview"
      data-outcome={value.outcome}
      data-status={value.status}
    >
      {value.status !== 'Actual' && value.outcome !== 'not_routable' && value.outcome !== 'not_published' && (
        <span className="route-status" data-testid="route-status">
          as {value.status === 'Exercise' ? 'an Exercise' : 'a Test'}
        </span>
      )}
      <span className="route-headline">{value.outcome === 'already_published' && !agencies ? `Published: ${value.message}` : sentence(value)}</span>
      {agencies &&
        value.agencies.map((a) => (
          <span key={a.id} className="route-agency" data-testid="route-agency">
            {a.name}
          </span>
        ))}
      {value.withheld.map((a) => (
        <span key={a.id} className="route-agency route-withheld" data-testid="route-withheld" title={a.reason}>
          not {a.name}
        </span>
      ))}
    </p>
  );
}
