/** The incident's layout before its data arrives, so nothing jumps when it does. */
export function IncidentSkeleton() {
  return (
    <div className="incident incident-skeleton" aria-busy="true" aria-label="Loading the alert">
      <header className="incident-header">
        <div className="skeleton-bar" style={{ width: '40%' }} />
      </header>
      <div className="incident-body">
        <div className="track-deck skeleton-block" />
        <aside className="incident-side">
          <div className="incident-map-box skeleton-block" />
          <div className="decision-panel skeleton-block" />
        </aside>
      </div>
    </div>
  );
}
