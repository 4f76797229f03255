import { useRef, useState, type FormEvent } from 'react';
import type { ContractError, FileSource, LabelImportResult, Project, ProjectClip } from '../../../src/contract/index.ts';
import { uploadFilesOf } from '../audit/save.ts';
import { useSeat } from '../seat/SeatContext.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';

type Format = 'auto' | 'raven' | 'audacity' | 'jsonl';
const FORMATS: { id: Format; label: string }[] = [
  { id: 'auto', label: 'as the file says' },
  { id: 'raven', label: 'Raven selection table' },
  { id: 'audacity', label: 'Audacity label track' },
  { id: 'jsonl', label: 'JSON Lines' },
];

/**
 * Labels made elsewhere (Raven, Audacity, our JSON Lines) onto the open clip, or JSON Lines onto
 * the project's clips its lines name. The file is chosen here (a file input in a browser, which
 * uploads it; the native dialog in the desktop app) and read by the core, strictly: one bad row
 * and nothing is written, the error names the row. The labels appear through the project's own
 * change event, like any other seat's.
 */
export function ImportLabels({ project, clip }: { project: Project; clip: ProjectClip | null }) {
  const { client } = useSeat();
  const [file, setFile] = useState<File | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const [format, setFormat] = useState<Format>('auto');
  const [onto, setOnto] = useState<'clip' | 'project'>('clip');
  // A Raven table's label column by name (BirdNET's "Species Code", say); empty: the first the reader knows.
  const [labelColumn, setLabelColumn] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const [result, setResult] = useState<LabelImportResult | null>(null);
  const desktop = client.transport === 'electron';
  // Only JSON Lines name their clips; a Raven or Audacity file belongs to one clip.
  const target = format === 'jsonl' || format === 'auto' ? onto : 'clip';

  const run = async (source: () => Promise<{ ok: true; value: FileSource } | { ok: false; error: ContractError } | null>) => {
    setBusy(true);
    setResult(null);
    setError(null);
    const chosen = await source();
    if (!chosen || !chosen.ok) {
      setBusy(false);
      return chosen && setError(chosen.error);
    }
    const where = target === 'project' || !clip ? { projectId: project.id } : { clipId: clip.id };
    const column = labelColumn.trim() !== '' && (format === 'raven' || format === 'auto') ? { labelColumn: labelColumn.trim() } : {};
    const r = await client.call('importLabels', { ...where, file: chosen.value, format, ...column });
    setBusy(false);
    if (r.ok) {
      setResult(r.value);
      setFile(null);
      if (input.current) input.current.value = '';
    } else setError(r.error);
  };
  // Desktop: the native dialog; the page gets a grant, never the path.
  const choose = () =>
    run(async () => {
      const r = await client.call('choosePath', { mode: 'open', purpose: 'labelFile' });
      if (!r.ok) return r;
      return r.value.grantId === null ? null : { ok: true, value: { kind: 'grant', grantId: r.value.grantId } };
    });
  // Browser: the chosen file's bytes go to the core as an upload of this seat.
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    void run(async () => {
      const r = await client.upload(uploadFilesOf([file]));
      return r.ok ? { ok: true, value: { kind: 'upload', uploadId: r.value.uploadId } } : r;
    });
  };
  const noClip = target === 'clip' && !clip;
  return (
    <details className="side-section" data-testid="import-labels">
      <summary data-testid="import-labels-open">
        <h3>Import labels</h3>
      </summary>
      <form className="side-form" onSubmit={submit}>
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value as Format)} data-testid="import-labels-format">
            {FORMATS.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        {target !== 'clip' || format === 'auto' ? (
          <label>
            Onto
            <select value={onto} onChange={(e) => setOnto(e.target.value as 'clip' | 'project')} data-testid="import-labels-onto">
              <option value="clip">{clip ? `this clip (${clip.name})` : 'the open clip'}</option>
              <option value="project">the clips its lines name (JSON Lines)</option>
            </select>
          </label>
        ) : (
          <p className="muted">Onto {clip ? clip.name : 'the open clip'}</p>
        )}
        {(format === 'raven' || format === 'auto') && (
          <label title="The column of a Raven table that holds the labels. Left empty: Annotation, Label, Class, Species, Common Name (BirdNET) or Type, the first the table has.">
            Label column (Raven, BirdNET)
            <input
              value={labelColumn}
              onChange={(e) => setLabelColumn(e.target.value)}
              placeholder="as the table says"
              maxLength={100}
              data-testid="import-labels-column"
            />
          </label>
        )}
        {desktop ? (
          <button type="button" className="btn" onClick={() => void choose()} disabled={busy || noClip} data-testid="import-labels-choose">
            {busy ? 'Reading…' : 'Label file…'}
          </button>
        ) : (
          <>
            <label>
              A label file (Raven .txt, Audacity .txt, .jsonl)
              <input
                ref={input}
                type="file"
                accept=".txt,.tsv,.jsonl,.json,text/plain"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                data-testid="import-labels-file"
              />
            </label>
            <button type="submit" className="btn" disabled={busy || noClip || !file} data-testid="import-labels-start">
              {busy ? 'Reading…' : 'Import labels'}
            </button>
          </>
        )}
      </form>
      <ErrorNote error={error} context="Nothing imported" />
      {result && (
        <div className="job-result" role="status" data-testid="import-labels-result">
          <strong>
            {result.added} label{result.added === 1 ? '' : 's'} added from the {FORMATS.find((f) => f.id === result.format)!.label}
            {result.unchanged ? `, ${result.unchanged} already there` : ''}
            {result.clipIds.length > 1 ? ` on ${result.clipIds.length} clips` : ''}
            {result.labelColumn ? `, labels from its ${JSON.stringify(result.labelColumn)} column` : ''}.
          </strong>
          {result.notes.length > 0 && (
            <ul className="muted" data-testid="import-labels-notes">
              {result.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </details>
  );
}
