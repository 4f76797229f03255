import type { LabelClass, Project, ProjectClip } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import { nameKey, type StoreTx } from '../kernel/store-port.ts';
import { UserError } from '../util/errors.ts';
import { defaultTaxonomy, type ClassSpec } from './taxonomy.ts';

export async function requireProject(tx: StoreTx, id: number): Promise<Project> {
  const p = await tx.datasetProjects.project(id);
  if (!p) throw new UserError('not_found', `no labelling project ${id}`);
  return p;
}

export async function requireProjectByName(tx: StoreTx, name: string): Promise<Project> {
  const id = await tx.datasetProjects.projectIdByName(name);
  if (id === undefined) throw new UserError('not_found', `no labelling project named ${JSON.stringify(name)}`);
  return requireProject(tx, id);
}

export async function requireClip(tx: StoreTx, id: number): Promise<ProjectClip> {
  const c = await tx.datasetProjects.clip(id);
  if (!c) throw new UserError('not_found', `no project clip ${id}`);
  return c;
}

/** A project read in its own transaction (for callers outside one). */
export const readProject = (core: CoreServices, id: number): Promise<Project> => core.storePort.read((tx) => requireProject(tx, id));

/** A project by its name, read in its own transaction (the command line names projects). */
export const readProjectByName = (core: CoreServices, name: string): Promise<Project> => core.storePort.read((tx) => requireProjectByName(tx, name));

export function createProject(
  core: CoreServices,
  actor: string,
  input: { name: string; description: string; taxonomy: 'default' | 'empty' },
): Promise<Project> {
  const name = input.name.normalize('NFC');
  const classes = input.taxonomy === 'default' ? defaultTaxonomy() : [];
  return core.storePort.write(async (tx) => {
    // Two servers creating the same name at once: the second waits here, then sees the first's.
    await tx.lock(`dataset-project-name:${nameKey(name)}`);
    if ((await tx.datasetProjects.projectIdByName(name)) !== undefined)
      throw new UserError('conflict', `a project named ${JSON.stringify(name)} exists already`);
    const at = core.clock.nowUs();
    const projectId = await tx.datasetProjects.insertProject(name, input.description, actor, at);
    for (const [position, c] of classes.entries()) await tx.datasetProjects.insertClass(projectId, { ...c, position });
    await tx.audit.append({
      atUs: at,
      actor,
      action: 'dataset.project.created',
      entity: `project:${projectId}`,
      payload: { name, description: input.description, classes },
    });
    tx.emit('datasetChanged', { projectId, what: 'project', clipIds: [] });
    return requireProject(tx, projectId);
  });
}

export function updateProject(
  core: CoreServices,
  actor: string,
  input: { id: number; name?: string | undefined; description?: string | undefined },
): Promise<Project> {
  return core.storePort.write(async (tx) => {
    const name = input.name?.normalize('NFC');
    if (name !== undefined) await tx.lock(`dataset-project-name:${nameKey(name)}`);
    await tx.lock(`dataset-project:${input.id}`);
    const before = await requireProject(tx, input.id);
    const newName = name ?? before.name;
    const description = input.description ?? before.description;
    const holder = await tx.datasetProjects.projectIdByName(newName);
    if (holder !== undefined && holder !== input.id) throw new UserError('conflict', `a project named ${JSON.stringify(newName)} exists already`);
    const at = core.clock.nowUs();
    await tx.datasetProjects.updateProject(input.id, newName, description, at);
    await tx.audit.append({
      atUs: at,
      actor,
      action: 'dataset.project.updated',
      entity: `project:${input.id}`,
      payload: { before: { name: before.name, description: before.description }, after: { name: newName, description } },
    });
    tx.emit('datasetChanged', { projectId: input.id, what: 'project', clipIds: [] });
    return requireProject(tx, input.id);
  });
}

interface ClassInput extends ClassSpec {
  id?: number | undefined;
}

/** Checks a whole taxonomy before anything is written: unique names (any case), unique hotkeys, known ids. */
function checkTaxonomy(current: readonly LabelClass[], classes: readonly ClassInput[]): void {
  const names = new Map<string, string>();
  const keys = new Map<number, string>();
  const ids = new Set<number>();
  const known = new Set(current.map((c) => c.id));
  for (const c of classes) {
    const key = nameKey(c.name);
    if (names.has(key)) throw new UserError('invalid_input', `two classes are named ${JSON.stringify(c.name)}`);
    names.set(key, c.name);
    if (c.hotkey !== null) {
      const holder = keys.get(c.hotkey);
      if (holder) throw new UserError('invalid_input', `hotkey ${c.hotkey} is given to both ${JSON.stringify(holder)} and ${JSON.stringify(c.name)}`);
      keys.set(c.hotkey, c.name);
    }
    if (c.id !== undefined) {
      if (!known.has(c.id)) throw new UserError('invalid_input', `class ${c.id} is not a class of this project`);
      if (ids.has(c.id)) throw new UserError('invalid_input', `class ${c.id} appears twice`);
      ids.add(c.id);
    }
  }
}

export function updateTaxonomy(core: CoreServices, actor: string, projectId: number, input: readonly ClassInput[]): Promise<Project> {
  const classes = input.map((c) => ({ ...c, name: c.name.normalize('NFC'), colour: c.colour.toLowerCase() }));
  return core.storePort.write(async (tx) => {
    // The taxonomy is read, checked, then rewritten: two editors of one project take turns.
    await tx.lock(`dataset-project:${projectId}`);
    const before = (await requireProject(tx, projectId)).classes;
    checkTaxonomy(before, classes);
    const kept = new Set(classes.flatMap((c) => (c.id === undefined ? [] : [c.id])));
    const removed = before.filter((c) => !kept.has(c.id));
    const inUse: { c: LabelClass; n: number }[] = [];
    for (const c of removed) {
      const n = await tx.datasetProjects.classUsage(c.id);
      if (n > 0) inUse.push({ c, n });
    }
    if (inUse.length > 0) {
      throw new UserError(
        'conflict',
        `cannot remove ${inUse.map((u) => `${JSON.stringify(u.c.name)} (${u.n} labels)`).join(', ')}: relabel or delete those labels first`,
      );
    }
    for (const c of removed) await tx.datasetProjects.deleteClass(projectId, c.id);
    for (const id of kept) await tx.datasetProjects.parkClass(id);
    for (const [position, c] of classes.entries()) {
      const spec = { name: c.name, colour: c.colour, hotkey: c.hotkey, position };
      if (c.id === undefined) await tx.datasetProjects.insertClass(projectId, spec);
      else await tx.datasetProjects.updateClass(projectId, c.id, spec);
    }
    const at = core.clock.nowUs();
    await tx.datasetProjects.touchProject(projectId, at);
    await tx.audit.append({
      atUs: at,
      actor,
      action: 'dataset.taxonomy.updated',
      entity: `project:${projectId}`,
      payload: { before, after: await tx.datasetProjects.classes(projectId) },
    });
    tx.emit('datasetChanged', { projectId, what: 'taxonomy', clipIds: [] });
    return requireProject(tx, projectId);
  });
}
