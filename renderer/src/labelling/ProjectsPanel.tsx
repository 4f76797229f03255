import { useState, type FormEvent } from 'react';
import type { ContractError, Project } from '../../../src/contract/index.ts';
import { useSeat } from '../seat/SeatContext.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';

interface Props {
  projects: readonly Project[] | null;
  error: ContractError | null;
  editable: boolean;
  onOpen(id: number): void;
}

/** The labelling projects, and a new one (trainers and administrators). */
export function ProjectsPanel({ projects, error, editable, onOpen }: Props) {
  const { client } = useSeat();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [taxonomy, setTaxonomy] = useState<'default' | 'empty'>('default');
  const [createError, setCreateError] = useState<ContractError | null>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    const r = await client.call('createProject', { name, description, taxonomy });
    if (!r.ok) return setCreateError(r.error);
    setCreateError(null);
    setName('');
    setDescription('');
    onOpen(r.value.id);
  };
  return (
    <div className="label-side-body" data-testid="projects-panel">
      <h2 className="side-title">Labelling projects</h2>
      <ErrorNote error={error} />
      {projects === null ? (
        <p className="muted">Reading the projects…</p>
      ) : projects.length === 0 ? (
        <p className="muted">No project yet{editable ? ': create the first below.' : '.'}</p>
      ) : (
        <ul className="project-list">
          {projects.map((p) => (
            <li key={p.id}>
              <button type="button" className="project-item" onClick={() => onOpen(p.id)} data-testid="project-item" data-project={p.name}>
                <strong>{p.name}</strong>
                <span className="muted">
                  {p.clipCount} clip{p.clipCount === 1 ? '' : 's'} · {p.labelCount} label{p.labelCount === 1 ? '' : 's'} · {p.classes.length} classes
                </span>
                {p.description && <span className="project-description">{p.description}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      {editable ? (
        <form className="side-form" onSubmit={(e) => void create(e)} data-testid="create-project">
          <h3>New project</h3>
          <label>
            Name
            <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} data-testid="project-name" />
          </label>
          <label>
            Description
            <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={4000} />
          </label>
          <label>
            Classes
            <select value={taxonomy} onChange={(e) => setTaxonomy(e.target.value as 'default' | 'empty')}>
              <option value="default">pulse labels and the review taxonomy</option>
              <option value="empty">none (define your own)</option>
            </select>
          </label>
          <button type="submit" className="btn" data-testid="project-create">
            Create project
          </button>
          <ErrorNote error={createError} />
        </form>
      ) : (
        <p className="muted">Creating projects and labelling need the trainer or administrator role; you can look.</p>
      )}
    </div>
  );
}
