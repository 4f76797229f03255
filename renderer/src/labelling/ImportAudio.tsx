import { forwardRef, useImperativeHandle, useRef, useState, type FormEvent } from 'react';
import type { ImportAudioResult, Project } from '../../../src/contract/index.ts';
import { useSeat } from '../seat/SeatContext.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { JobProgress } from './JobProgress.tsx';
import { useDatasetJob } from './useDataset.ts';

export interface ImportAudioHandle {
  /** The menu's Import Audio: the native dialog in the desktop app, the path field on the web. */
  begin(): void;
}

/**
 * WAV files or folders of them into the project. In the desktop app, the system's dialog picks them;
 * on the loopback host (a browser) the path is typed: it is a path on the machine the core runs on.
 * The import runs as a job with progress; cancelled, it leaves nothing behind.
 */
export const ImportAudio = forwardRef<ImportAudioHandle, { project: Project }>(function ImportAudio({ project }, ref) {
  const { client } = useSeat();
  const job = useDatasetJob();
  const [path, setPath] = useState('');
  const [strict, setStrict] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const desktop = client.transport === 'electron';

  const run = (paths: string[]) =>
    job.start(() => client.call('startAudioImport', { projectId: project.id, paths, onBadFile: strict ? 'abort' : 'skip' }));
  const choose = async (purpose: 'labelAudioFolders' | 'labelAudioFiles') => {
    const r = await client.call('choosePath', { mode: 'open', purpose });
    if (r.ok && r.value.paths.length) await run(r.value.paths);
  };
  useImperativeHandle(ref, () => ({ begin: () => (desktop ? void choose('labelAudioFolders') : field.current?.focus()) }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const paths = path.split('\n').map((p) => p.trim()).filter(Boolean);
    if (paths.length) void run(paths);
  };
  const result = job.job?.result?.kind === 'import-audio' ? (job.job.result as ImportAudioResult) : null;
  return (
    <section className="side-section" data-testid="import-audio">
      <h3>Import audio</h3>
      {desktop && (
        <div className="form-row">
          <button type="button" className="btn" onClick={() => void choose('labelAudioFolders')} disabled={job.running}>
            Folders…
          </button>
          <button type="button" className="btn" onClick={() => void choose('labelAudioFiles')} disabled={job.running}>
            WAV files…
          </button>
        </div>
      )}
      <form className="side-form" onSubmit={submit}>
        <label>
          {desktop ? 'or a path' : 'A WAV file or a folder of them, on the machine the core runs on'}
          <input ref={field} value={path} onChange={(e) => setPath(e.target.value)} placeholder="/recordings/field-2026" spellCheck={false} data-testid="import-path" />
        </label>
        <label className="check">
          <input type="checkbox" checked={strict} onChange={(e) => setStrict(e.target.checked)} /> import nothing if any file is bad
        </label>
        <button type="submit" className="btn" disabled={job.running || !path.trim()} data-testid="import-start">
          Import
        </button>
      </form>
      <ErrorNote error={job.error} />
      {job.job && <JobProgress job={job.job} onCancel={() => void job.cancel()} onDismiss={job.clear} />}
      {result && (
        <div className="job-result" data-testid="import-result">
          {result.aborted ? (
            <strong>Nothing imported: {result.refused} bad file{result.refused === 1 ? '' : 's'}.</strong>
          ) : (
            <strong>
              {result.imported} imported{result.duplicates ? `, ${result.duplicates} already there` : ''}
              {result.refused ? `, ${result.refused} refused` : ''}
              {result.ignored ? `, ${result.ignored} other files left alone` : ''}.
            </strong>
          )}
          {result.files.filter((f) => f.status === 'refused').slice(0, 20).map((f) => (
            <div key={f.path} className="job-refusal" title={f.path}>
              {f.path.split('/').at(-1)}: {f.message}
            </div>
          ))}
        </div>
      )}
    </section>
  );
});
