import { useEffect, useRef, useState, type FormEvent } from 'react';
import { type ContractError, type ExportResult, type MethodInput, type Project, type SplitBy } from '../../../src/contract/index.ts';
import { chooseTarget, startDownload } from '../audit/save.ts';
import { useSeat } from '../seat/SeatContext.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { JobProgress } from './JobProgress.tsx';
import { slug } from './names.ts';
import { useDatasetJob } from './useDataset.ts';

type Format = 'audiofolder' | 'raven' | 'audacity' | 'jsonl';
const FORMATS: { value: Format; label: string }[] = [
  { value: 'audiofolder', label: 'Hugging Face audiofolder (WAVs + metadata.csv, split)' },
  { value: 'raven', label: 'Raven selection tables (one per clip)' },
  { value: 'audacity', label: 'Audacity label tracks (one per clip)' },
  { value: 'jsonl', label: 'JSON Lines (one label per line)' },
];

/** Keep together by: the leak-free ones first (an alert's tracks are one shot heard from several places). */
const SPLIT_OPTIONS: { value: SplitBy; label: string }[] = [
  { value: 'alert', label: 'alert (no shot in two splits)' },
  { value: 'incident', label: 'incident (alerts minutes and 1 km apart)' },
  { value: 'recording', label: 'source recording' },
  { value: 'site', label: 'site' },
  { value: 'sensor', label: 'sensor' },
  { value: 'date', label: 'UTC date' },
  { value: 'clip', label: 'clip' },
];

const stamp = (d = new Date()) => d.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');

/**
 * Export a project (or some of its classes, or the clip on screen) in a format the field's tools
 * read, as one zip: downloaded by the browser, or saved where the desktop app's dialog chose.
 * It appears complete or not at all. Progress and Cancel while it runs.
 */
export function ExportDialog({ project, clipId, onClose }: { project: Project; clipId: number | null; onClose(): void }) {
  const { client } = useSeat();
  const job = useDatasetJob();
  const desktop = client.transport === 'electron';
  const [format, setFormat] = useState<Format>('audiofolder');
  const [unit, setUnit] = useState<'label' | 'clip'>('label');
  const [splitBy, setSplitBy] = useState<SplitBy>('alert');
  const [allowLeaks, setAllowLeaks] = useState(false);
  const [shares, setShares] = useState({ train: '80', validation: '10', test: '10' });
  const [seed, setSeed] = useState('earwitness');
  const [classes, setClasses] = useState<string[] | null>(null);
  const [onlyClip, setOnlyClip] = useState(false);
  const [chooseError, setChooseError] = useState<ContractError | null>(null);
  const train = Number(shares.train) / 100;
  const validation = Number(shares.validation) / 100;
  const test = Number(shares.test) / 100;
  const sharesOk = [train, validation, test].every((x) => Number.isFinite(x) && x >= 0) && Math.abs(train + validation + test - 1) < 1e-6;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setChooseError(null);
    // Desktop: where to save, asked first; browser: the zip becomes a download of this seat.
    const target = await chooseTarget(client, 'dataset', `${slug(project.name)}-${format}-${stamp()}.zip`, 'zip');
    if ('cancelled' in target) return;
    if ('error' in target) return setChooseError(target.error);
    const request: MethodInput<'startExportArchive'> = {
      projectId: project.id,
      format,
      to: target.to,
      filter: { ...(classes ? { labels: classes } : {}), ...(onlyClip && clipId !== null ? { clipIds: [clipId] } : {}) },
      ...(format === 'audiofolder' ? { audiofolder: { unit, splitBy, splits: { train, validation, test }, seed, allowLeaks } } : {}),
    };
    void job.start(() => client.call('startExportArchive', request));
  };
  const result = job.job?.result?.kind === 'export' ? (job.job.result as ExportResult) : null;
  // The zip downloads once, as soon as the job has made it; the link below fetches it again.
  const downloaded = useRef<string | null>(null);
  useEffect(() => {
    const archive = result?.archive;
    if (archive?.kind !== 'download' || downloaded.current === archive.downloadId) return;
    downloaded.current = archive.downloadId;
    startDownload(client, archive);
  }, [client, result]);
  // Once it ends, the outcome takes the focus: read it, Esc closes.
  const outcome = useRef<HTMLDivElement>(null);
  const ended = job.job !== null && job.job.state !== 'running';
  useEffect(() => {
    if (ended) outcome.current?.focus();
  }, [ended]);
  const busy = job.running;
  return (
    <Dialog title={`Export ${project.name}`} onClose={onClose} testId="export-dialog">
      <form onSubmit={(e) => void submit(e)} className="export-form">
        <div className="form-row">
          <label>
            Format
            <select value={format} onChange={(e) => setFormat(e.target.value as Format)} disabled={busy} data-testid="export-format">
              {FORMATS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        {format === 'audiofolder' && (
          <fieldset className="form-row" disabled={busy}>
            <legend>audiofolder</legend>
            <label>
              One WAV per
              <select value={unit} onChange={(e) => setUnit(e.target.value as 'label' | 'clip')}>
                <option value="label">label (cut to the selection)</option>
                <option value="clip">clip (the whole recording)</option>
              </select>
            </label>
            <label title="Every clip of one alert (or incident, recording, site, sensor, UTC day, clip) lands in one split. A split where an alert, a clip or a source recording lands in two splits is refused unless you allow it">
              Keep together by
              <select value={splitBy} onChange={(e) => setSplitBy(e.target.value as SplitBy)} data-testid="export-split-by">
                {SPLIT_OPTIONS.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
            <label
              className="check"
              title="Export even if an alert, a clip or a source recording lands in two splits; the leak is named in the result and the manifest"
            >
              <input type="checkbox" checked={allowLeaks} onChange={(e) => setAllowLeaks(e.target.checked)} data-testid="export-allow-leaks" /> allow leaks
            </label>
            {(['train', 'validation', 'test'] as const).map((k) => (
              <label key={k}>
                {k} %
                <input value={shares[k]} onChange={(e) => setShares({ ...shares, [k]: e.target.value })} size={4} inputMode="decimal" />
              </label>
            ))}
            <label>
              Seed
              <input value={seed} onChange={(e) => setSeed(e.target.value)} size={12} maxLength={100} />
            </label>
            {!sharesOk && <span className="error-note">the three shares must add up to 100</span>}
          </fieldset>
        )}
        <fieldset className="form-row" disabled={busy}>
          <legend>Which labels</legend>
          <span className="checks export-classes">
            {project.classes.map((c) => (
              <label key={c.id}>
                <input
                  type="checkbox"
                  checked={classes === null || classes.includes(c.name)}
                  onChange={(e) => {
                    const all = classes ?? project.classes.map((x) => x.name);
                    const next = e.target.checked ? [...all, c.name] : all.filter((n) => n !== c.name);
                    setClasses(next.length === project.classes.length ? null : next);
                  }}
                />
                {c.name}
              </label>
            ))}
          </span>
          {clipId !== null && (
            <label className="check">
              <input type="checkbox" checked={onlyClip} onChange={(e) => setOnlyClip(e.target.checked)} /> only the clip on screen
            </label>
          )}
        </fieldset>
        <div className="form-row">
          <span className="muted grow">{desktop ? 'One zip file, saved where you choose.' : 'One zip file, downloaded by this browser.'}</span>
          <button type="submit" className="btn" disabled={busy || (format === 'audiofolder' && !sharesOk) || classes?.length === 0} data-testid="export-start">
            {desktop ? 'Export…' : 'Export and download'}
          </button>
        </div>
        <ErrorNote error={chooseError ?? job.error} />
        <div ref={outcome} tabIndex={-1} className="job-outcome">
          {job.job && <JobProgress job={job.job} onCancel={() => void job.cancel()} onDismiss={job.clear} />}
          {result && (
            <div className="job-result" data-testid="export-result" data-file-name={result.archive?.fileName}>
              <strong>
                {result.labels} label{result.labels === 1 ? '' : 's'} from {result.clips} clip{result.clips === 1 ? '' : 's'} in {result.files} files
              </strong>{' '}
              {result.archive?.kind === 'download' ? (
                <a href={client.downloadUrl(result.archive.downloadId) ?? undefined} download={result.archive.fileName} data-testid="export-download">
                  {result.archive.fileName}
                </a>
              ) : (
                <span className="muted">saved as {result.archive?.fileName ?? result.outDir}</span>
              )}
              {result.splits && <SplitCounts result={result} />}
              {result.warnings.map((w) => (
                <div key={w} className="job-warning">
                  {w}
                </div>
              ))}
            </div>
          )}
        </div>
      </form>
    </Dialog>
  );
}

/** Each split's labels per class, and what the clips were kept together by. */
function SplitCounts({ result }: { result: ExportResult }) {
  const splits = result.splits!;
  const names = ['train', 'validation', 'test'] as const;
  const classes = [...new Set(names.flatMap((n) => Object.keys(splits[n].classes)))].sort();
  return (
    <>
      <table className="split-counts" data-testid="export-split-counts">
        <thead>
          <tr>
            <th>labels</th>
            {names.map((n) => (
              <th key={n}>{n}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {classes.map((c) => (
            <tr key={c}>
              <td>{c}</td>
              {names.map((n) => (
                <td key={n}>{splits[n].classes[c] ?? 0}</td>
              ))}
            </tr>
          ))}
          <tr className="split-total">
            <td>all ({names.map((n) => splits[n].groups).join(' / ')} groups)</td>
            {names.map((n) => (
              <td key={n}>{splits[n].labels}</td>
            ))}
          </tr>
        </tbody>
      </table>
      {result.grouping && (
        <div className="muted">kept together by {result.grouping.map((g) => `${g.basis} (${g.clips} clip${g.clips === 1 ? '' : 's'})`).join(', ')}</div>
      )}
    </>
  );
}
