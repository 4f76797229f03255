import { forwardRef, useImperativeHandle, useRef, useState } from 'react';
import type { ContractError, FileSource, ImportAudioResult, Project } from '../../../src/contract/index.ts';
import { uploadFilesOf } from '../audit/save.ts';
import { useSeat } from '../seat/SeatContext.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { JobProgress } from './JobProgress.tsx';
import { useDatasetJob } from './useDataset.ts';

export interface ImportAudioHandle {
  /** The menu's Import Audio: the native dialog in the desktop app, the folder picker on the web. */
  begin(): void;
}

/**
 * WAV files or folders of them into the project. In the desktop app, the system's dialog picks them
 * (the page gets a grant, never a path); in a browser, a file or folder input picks them and their
 * bytes are uploaded, each with its path below the folder chosen (its folders give sites and sensors).
 * The import runs as a job with progress; cancelled, it leaves nothing behind.
 */
export const ImportAudio = forwardRef<ImportAudioHandle, { project: Project }>(function ImportAudio({ project }, ref) {
  const { client } = useSeat();
  const job = useDatasetJob();
  const [strict, setStrict] = useState(false);
  const [piecesPerFolder, setPiecesPerFolder] = useState(false);
  const [sending, setSending] = useState<string | null>(null);
  const [uploadError, setUploadError] = useState<ContractError | null>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const desktop = client.transport === 'electron';

  const run = (files: FileSource) =>
    job.start(() =>
      client.call('startAudioFileImport', {
        projectId: project.id,
        files,
        onBadFile: strict ? 'abort' : 'skip',
        recordings: piecesPerFolder ? 'folder' : 'file',
      }),
    );
  const choose = async (purpose: 'labelAudioFolders' | 'labelAudioFiles') => {
    const r = await client.call('choosePath', { mode: 'open', purpose });
    if (!r.ok) return setUploadError(r.error);
    if (r.value.grantId !== null) await run({ kind: 'grant', grantId: r.value.grantId });
  };
  const send = async (list: FileList | null, input: HTMLInputElement | null) => {
    const files = list ? uploadFilesOf(list) : [];
    if (input) input.value = '';
    if (files.length === 0) return;
    setUploadError(null);
    setSending('0 %');
    const r = await client.upload(files, (sent, total) => setSending(`${total ? Math.floor((100 * sent) / total) : 100} %`));
    setSending(null);
    if (!r.ok) return setUploadError(r.error);
    await run({ kind: 'upload', uploadId: r.value.uploadId });
  };
  useImperativeHandle(ref, () => ({ begin: () => (desktop ? void choose('labelAudioFolders') : folderInput.current?.click()) }));
  const result = job.job?.result?.kind === 'import-audio' ? (job.job.result as ImportAudioResult) : null;
  return (
    <section className="side-section" data-testid="import-audio">
      <h3>Import audio</h3>
      <div className="form-row">
        {desktop ? (
          <>
            <button type="button" className="btn" onClick={() => void choose('labelAudioFolders')} disabled={job.running}>
              Folders…
            </button>
            <button type="button" className="btn" onClick={() => void choose('labelAudioFiles')} disabled={job.running}>
              WAV files…
            </button>
          </>
        ) : (
          <>
            <label className="btn" aria-disabled={job.running || sending !== null}>
              A folder…
              {/* webkitdirectory: every file below the chosen folder, named by its path in it. */}
              <input
                ref={folderInput}
                type="file"
                hidden
                multiple
                {...{ webkitdirectory: '' }}
                disabled={job.running || sending !== null}
                onChange={(e) => void send(e.target.files, e.target)}
                data-testid="import-audio-folder"
              />
            </label>
            <label className="btn" aria-disabled={job.running || sending !== null}>
              WAV files…
              <input
                ref={filesInput}
                type="file"
                hidden
                multiple
                accept=".wav,.wave,audio/wav"
                disabled={job.running || sending !== null}
                onChange={(e) => void send(e.target.files, e.target)}
                data-testid="import-audio-files"
              />
            </label>
          </>
        )}
      </div>
      <label className="check">
        <input type="checkbox" checked={strict} onChange={(e) => setStrict(e.target.checked)} /> import nothing if any file is bad
      </label>
      <label className="check" title="The files of one folder were cut from one long recording: data set splits keep them together">
        <input type="checkbox" checked={piecesPerFolder} onChange={(e) => setPiecesPerFolder(e.target.checked)} data-testid="import-audio-pieces" /> each folder
        is one recording cut in pieces
      </label>
      {sending !== null && (
        <p className="muted" role="status">
          Sending the files… {sending}
        </p>
      )}
      <ErrorNote error={uploadError ?? job.error} />
      {job.job && <JobProgress job={job.job} onCancel={() => void job.cancel()} onDismiss={job.clear} />}
      {result && (
        <div className="job-result" data-testid="import-result">
          {result.aborted ? (
            <strong>
              Nothing imported: {result.refused} bad file{result.refused === 1 ? '' : 's'}.
            </strong>
          ) : (
            <strong>
              {result.imported} imported{result.duplicates ? `, ${result.duplicates} already there` : ''}
              {result.refused ? `, ${result.refused} refused` : ''}
              {result.ignored ? `, ${result.ignored} other files left alone` : ''}.
            </strong>
          )}
          {result.files
            .filter((f) => f.status === 'refused')
            .slice(0, 20)
            .map((f) => (
              <div key={f.path} className="job-refusal" title={f.path}>
                {f.path.split('/').at(-1)}: {f.message}
              </div>
            ))}
        </div>
      )}
    </section>
  );
});
