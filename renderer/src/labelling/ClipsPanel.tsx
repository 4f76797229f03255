import { useEffect, useRef, type Ref } from 'react';
import type { ContractError, Project, ProjectClip } from '../../../src/contract/index.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { AgreementTable } from './AgreementTable.tsx';
import { ImportAudio, type ImportAudioHandle } from './ImportAudio.tsx';
import { ImportLabels } from './ImportLabels.tsx';

interface Props {
  project: Project;
  clips: readonly ProjectClip[] | null;
  total: number;
  error: ContractError | null;
  selectedId: number | null;
  editable: boolean;
  importRef: Ref<ImportAudioHandle>;
  /** This trainer's state of each clip (absent: to do). */
  states: ReadonlyMap<number, 'todo' | 'done' | 'skipped'>;
  onBack(): void;
  onOpen(id: number): void;
  onTaxonomy(): void;
  onExport(): void;
  onAddAlerts(): void;
}

const STATE_TEXT = { todo: 'to do', done: 'done', skipped: 'skipped' } as const;

/** One project: its actions, the audio import, and its clips with their label counts. */
export function ClipsPanel({
  project,
  clips,
  total,
  error,
  selectedId,
  editable,
  importRef,
  states,
  onBack,
  onOpen,
  onTaxonomy,
  onExport,
  onAddAlerts,
}: Props) {
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    list.current?.querySelector('[aria-current="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);
  return (
    <div className="label-side-body" data-testid="clips-panel">
      <button type="button" className="link-button back-link" onClick={onBack}>
        ‹ All projects
      </button>
      <h2 className="side-title" data-testid="project-title">
        {project.name}
      </h2>
      {project.description && <p className="muted">{project.description}</p>}
      <p className="muted">
        {project.clipCount} clip{project.clipCount === 1 ? '' : 's'} · {project.labelCount} label{project.labelCount === 1 ? '' : 's'}
      </p>
      <div className="form-row side-actions">
        <button type="button" className="btn" onClick={onExport} data-testid="open-export" title="Export the project (E)">
          Export… <kbd>E</kbd>
        </button>
        {editable && (
          <>
            <button type="button" className="btn" onClick={onTaxonomy} data-testid="open-taxonomy" title="Edit the classes (T)">
              Classes… <kbd>T</kbd>
            </button>
            <button type="button" className="btn" onClick={onAddAlerts} data-testid="open-add-alerts">
              Add alerts…
            </button>
          </>
        )}
      </div>
      {editable && <ImportAudio ref={importRef} project={project} />}
      {editable && <ImportLabels project={project} clip={clips?.find((c) => c.id === selectedId) ?? null} />}
      <details className="side-section" data-testid="agreement-section">
        <summary>
          <h3>Agreement between trainers</h3>
        </summary>
        <AgreementTable projectId={project.id} />
      </details>
      <ErrorNote error={error} />
      <h3 className="side-subtitle">Clips {clips && total > clips.length ? `(first ${clips.length} of ${total})` : ''}</h3>
      {clips && clips.length > 0 && (
        <p className="muted" data-testid="clip-progress">
          Yours: {clips.filter((c) => states.get(c.id) === 'done').length} done, {clips.filter((c) => states.get(c.id) === 'skipped').length} skipped,{' '}
          {clips.filter((c) => (states.get(c.id) ?? 'todo') === 'todo').length} to do <kbd>N</kbd>
        </p>
      )}
      {clips === null ? (
        <p className="muted">Reading the clips…</p>
      ) : clips.length === 0 ? (
        <p className="muted">No clips yet: import audio or add alerts.</p>
      ) : (
        <ul className="clip-list" ref={list} data-testid="clip-list">
          {clips.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                className="clip-item"
                aria-current={c.id === selectedId}
                onClick={() => onOpen(c.id)}
                data-testid="clip-item"
                data-clip-id={c.id}
                data-state={states.get(c.id) ?? 'todo'}
                title={c.name}
              >
                {/* The mark is drawn by CSS (data-state), so the item's text stays the clip's name and count. */}
                <span className={`clip-state clip-state-${states.get(c.id) ?? 'todo'}`} title={STATE_TEXT[states.get(c.id) ?? 'todo']} />
                <span className="clip-name">{c.name}</span>
                <span className={c.labelCount ? 'clip-labels' : 'clip-labels muted'}>{c.labelCount}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
