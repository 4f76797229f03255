/** What the stage says when no alert is open. */
export function StageEmpty({ waiting }: { waiting: number }) {
  return (
    <div className="stage-empty">
      <div>
        <p className="stage-empty-title">{waiting === 0 ? 'No alerts waiting' : `${waiting} alert${waiting === 1 ? '' : 's'} waiting for review`}</p>
        <p className="muted">
          {waiting === 0
            ? 'New alerts appear in the queue the moment they arrive.'
            : 'Open one from the queue: click it, or move with ↑ ↓ and press Enter.'}
        </p>
      </div>
    </div>
  );
}
