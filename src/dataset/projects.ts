import type { LabelClass, Project, ProjectClip } from '../contract/index.ts';
import type { CoreServices } from '../core/services.ts';
import { nameKey } from '../store/dataset-projects.ts';
import { UserError } from '../util/errors.ts';
import { defaultTaxonomy, type ClassSpec } from './taxonomy.ts';

export function requireProject(core: CoreServices, id: number): Project {
  const p = core.store.datasetProjects.project(id);
  if (!p) throw new UserError('not_found', `no labelling project ${id}`);
  return p;
}

export function requireProjectByName(core: CoreServices, name: string): Project {
  const id = core.store.datasetProjects.projectIdByName(name);
  if (id === undefined) throw new UserError('not_found', `no labelling project named ${JSON.stringify(name)}`);
  return requireProject(core, id);
}

export function requireClip(core: CoreServices, id: number): ProjectClip {
  const c = core.store.datasetProjects.clip(id);
  if (!c) throw new UserError('not_found', `no project clip ${id}`);
  return c;
}

export function createProject(core: CoreServices, actor: string, input: { name: string; description: string; taxonomy: 'default' | 'empty' }): Project {
  const { store, clock } = core;
  const name = input.name.normalize('NFC');
  const classes = input.taxonomy === 'default' ? defaultTaxonomy() : [];
  const id = store.tx(() => {
    if (store.datasetProjects.projectIdByName(name) !== undefined) throw new UserError('conflict', `a project named ${JSON.stringify(name)} exists already`);
    const at = clock.nowUs();
    const projectId = store.datasetProjects.insertProject(name, input.description, actor, at);
    classes.forEach((c, position) => store.datasetProjects.insertClass(projectId, { ...c, position }));
    store.audit.append({
      atUs: at,
      actor,
      action: 'dataset.project.created',
      entity: `project:${projectId}`,
      payload: { name, description: input.description, classes },
    });
    return projectId;
  });
  core.events.emit('datasetChanged', { projectId: id, what: 'project', clipIds: [] });
  return requireProject(core, id);
}

export function updateProject(core: CoreServices, actor: string, input: { id: number; name?: string | undefined; description?: string | undefined }): Project {
  const { store, clock } = core;
  store.tx(() => {
    const before = requireProject(core, input.id);
    const name = input.name?.normalize('NFC') ?? before.name;
    const description = input.description ?? before.description;
    const holder = store.datasetProjects.projectIdByName(name);
    if (holder !== undefined && holder !== input.id) throw new UserError('conflict', `a project named ${JSON.stringify(name)} exists already`);
    const at = clock.nowUs();
    store.datasetProjects.updateProject(input.id, name, description, at);
    store.audit.append({
      atUs: at,
      actor,
      action: 'dataset.project.updated',
      entity: `project:${input.id}`,
      payload: { before: { name: before.name, description: before.description }, after: { name, description } },
    });
  });
  core.events.emit('datasetChanged', { projectId: input.id, what: 'project', clipIds: [] });
  return requireProject(core, input.id);
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

export function updateTaxonomy(core: CoreServices, actor: string, projectId: number, input: readonly ClassInput[]): Project {
  const { store, clock } = core;
  const classes = input.map((c) => ({ ...c, name: c.name.normalize('NFC'), colour: c.colour.toLowerCase() }));
  store.tx(() => {
    const before = requireProject(core, projectId).classes;
    checkTaxonomy(before, classes);
    const kept = new Set(classes.flatMap((c) => (c.id === undefined ? [] : [c.id])));
    const removed = before.filter((c) => !kept.has(c.id));
    const inUse = removed.map((c) => ({ c, n: store.datasetProjects.classUsage(c.id) })).filter((u) => u.n > 0);
    if (inUse.length > 0) {
      throw new UserError(
        'conflict',
        `cannot remove ${inUse.map((u) => `${JSON.stringify(u.c.name)} (${u.n} labels)`).join(', ')}: relabel or delete those labels first`,
      );
    }
    for (const c of removed) store.datasetProjects.deleteClass(projectId, c.id);
    for (const id of kept) store.datasetProjects.parkClass(id);
    classes.forEach((c, position) => {
      const spec = { name: c.name, colour: c.colour, hotkey: c.hotkey, position };
      if (c.id === undefined) store.datasetProjects.insertClass(projectId, spec);
      else store.datasetProjects.updateClass(projectId, c.id, spec);
    });
    const at = clock.nowUs();
    store.datasetProjects.touchProject(projectId, at);
    store.audit.append({
      atUs: at,
      actor,
      action: 'dataset.taxonomy.updated',
      entity: `project:${projectId}`,
      payload: { before, after: store.datasetProjects.classes(projectId) },
    });
  });
  core.events.emit('datasetChanged', { projectId, what: 'taxonomy', clipIds: [] });
  return requireProject(core, projectId);
}
