import { useEffect, useState } from 'react';
import type { ContractError, Project } from '../../../src/contract/index.ts';
import { AgreementTable } from '../labelling/AgreementTable.tsx';
import { useSeat } from '../seat/SeatContext.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';

/** The auditor's look at labelling: how far the trainers of a project agree, per class. */
export function LabellersView() {
  const { client } = useSeat();
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [projectId, setProjectId] = useState<number | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  useEffect(() => {
    void client.call('listProjects', {}).then((r) => {
      if (!r.ok) return setError(r.error);
      setProjects(r.value.projects);
      setProjectId((id) => id ?? r.value.projects[0]?.id ?? null);
    });
  }, [client]);
  return (
    <section className="labellers-view" data-testid="labellers-view">
      <h2>Agreement between trainers</h2>
      <ErrorNote error={error} />
      {projects && projects.length === 0 && <p className="muted">No labelling projects yet.</p>}
      {projects && projects.length > 0 && (
        <label>
          Project{' '}
          <select value={projectId ?? ''} onChange={(e) => setProjectId(Number(e.target.value))} data-testid="labellers-project">
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {projectId !== null && <AgreementTable key={projectId} projectId={projectId} />}
    </section>
  );
}
