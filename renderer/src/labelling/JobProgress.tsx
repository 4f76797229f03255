import type { DatasetJob } from '../../../src/contract/index.ts';

const PHASES: Record<string, string> = {
  starting: 'starting',
  scan: 'looking for files',
  read: 'reading',
  commit: 'saving',
  write: 'writing',
  finish: 'finishing',
};

/** An import's or export's progress, with Cancel while it runs, and how it ended. */
export function JobProgress({ job, onCancel, onDismiss }: { job: DatasetJob; onCancel(): void; onDismiss(): void }) {
  const running = job.state === 'running';
  const share = job.total > 0 ? Math.min(1, job.done / job.total) : null;
  return (
    <div className={`job-progress job-${job.state}`} data-testid="job-progress" data-state={job.state} data-phase={job.phase}>
      <div className="job-line">
        <span>
          {running ? (
            <>
              {PHASES[job.phase] ?? job.phase} {job.total > 0 ? `${job.done} of ${job.total}` : job.done > 0 ? job.done : ''}
            </>
          ) : job.state === 'done' ? (
            'done'
          ) : job.state === 'cancelled' ? (
            'cancelled: nothing was kept'
          ) : (
            <>failed: {job.error?.message}</>
          )}
        </span>
        {running ? (
          <button type="button" className="tool" onClick={onCancel} data-testid="job-cancel">
            Cancel
          </button>
        ) : (
          <button type="button" className="link-button" onClick={onDismiss} aria-label="Dismiss">
            ×
          </button>
        )}
      </div>
      {running && (
        <progress max={1} value={share ?? undefined} aria-label={`${job.kind} progress`}>
          {share !== null ? `${Math.round(share * 100)} %` : ''}
        </progress>
      )}
    </div>
  );
}
