import './labelling.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ContractError } from '../../../src/contract/index.ts';
import { KeysOverlay } from '../keys/KeysOverlay.tsx';
import { useSeat } from '../seat/SeatContext.tsx';
import { AddAlertsDialog } from './AddAlertsDialog.tsx';
import { ClipsPanel } from './ClipsPanel.tsx';
import { ExportDialog } from './ExportDialog.tsx';
import type { ImportAudioHandle } from './ImportAudio.tsx';
import { hotkeyOf, LABEL_BINDINGS, LABEL_KEY_GROUPS } from './keymap.ts';
import { LabelView } from './LabelView.tsx';
import { ProjectsPanel } from './ProjectsPanel.tsx';
import { TaxonomyDialog } from './TaxonomyDialog.tsx';
import { nextToDo, type ClipStateName } from './clip-order.ts';
import { useClipStates } from './useClipStates.ts';
import { useProjectClips, useProjects } from './useDataset.ts';

/** What the desktop menu asks of the labelling mode (File > Import Audio, Export Data Set). */
export interface LabellingCommand {
  kind: 'importAudio' | 'exportDataset';
  /** Grows with every request, so the same command twice runs twice. */
  seq: number;
}

interface Props {
  command: LabellingCommand | null;
  help: boolean;
  onCloseHelp(): void;
}

/**
 * The trainers' mode: labelling projects on the left (a project's clips once one is open), the
 * clip being labelled on the right. Viewing needs only a signed-in person; changing anything
 * needs the trainer or administrator role (the core enforces it too).
 */
export function LabellingMode({ command, help, onCloseHelp }: Props) {
  const seat = useSeat();
  const roles = seat.state.person?.roles ?? [];
  const editable = roles.includes('trainer') || roles.includes('admin');
  const projects = useProjects();
  const [projectId, setProjectId] = useState<number | null>(null);
  const project = projects.projects?.find((p) => p.id === projectId) ?? null;
  const clips = useProjectClips(project ? project.id : null);
  const [clipId, setClipId] = useState<number | null>(null);
  const [dialog, setDialog] = useState<'taxonomy' | 'export' | 'alerts' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const importer = useRef<ImportAudioHandle>(null);

  const list = clips.clips ?? [];
  const index = list.findIndex((c) => c.id === clipId);
  const clip = index >= 0 ? list[index]! : null;
  // A project opens on its first clip; a clip gone from the list (another seat) is left.
  useEffect(() => {
    if (clips.clips && (clipId === null || !clips.clips.some((c) => c.id === clipId))) setClipId(clips.clips[0]?.id ?? null);
  }, [clips.clips, clipId]);
  const openProject = (id: number | null) => {
    setProjectId(id);
    setClipId(null);
    setDialog(null);
  };
  const stepClip = (d: 1 | -1) => {
    const next = list[index + d];
    if (next) setClipId(next.id);
  };
  const stateError = useCallback((e: ContractError) => setNotice(e.message), []);
  const clipStates = useClipStates(project ? project.id : null, stateError);
  /** Opens the next clip still to do; says so when none is left. */
  const openNextToDo = (after: number | null = clipId): string | null => {
    const id = nextToDo(list, clipStates.states, after);
    if (id === null) return 'No clip left to do: every clip is done or skipped (PgUp PgDn still step through them).';
    setClipId(id);
    return null;
  };
  const markClip = async (state: ClipStateName): Promise<string | null> => {
    if (!clip) return null;
    if (!(await clipStates.set(clip.id, state))) return null;
    const mark = state === 'done' ? 'Done' : 'Skipped';
    const next = nextToDo(list, new Map(clipStates.states).set(clip.id, state), clip.id);
    if (next === null) return `${mark}. No clip left to do.`;
    setClipId(next);
    return null;
  };

  // The menu's commands: the import and the export belong to an open project.
  const seen = useRef(0);
  useEffect(() => {
    if (!command || command.seq === seen.current) return;
    seen.current = command.seq;
    if (!project) return setNotice(`Open a project first: ${command.kind === 'importAudio' ? 'audio is imported into' : 'the export is of'} a project.`);
    setNotice(null);
    if (command.kind === 'exportDataset') setDialog('export');
    else if (editable) importer.current?.begin();
  }, [command, project, editable]);

  // The `?` overlay names each digit's class, from the project's taxonomy.
  const rows = useMemo(
    () =>
      LABEL_BINDINGS.map((b) => {
        const d = hotkeyOf(b.action);
        if (b.action === 'secondBank') {
          const second = (project?.classes ?? []).filter((c) => c.hotkey !== null && c.hotkey > 9).sort((x, y) => x.hotkey! - y.hotkey!);
          return second.length ? { ...b, label: `Second bank: ${second.map((c) => `${c.hotkey! - 9} ${c.name}`).join(', ')}` } : b;
        }
        if (d === null) return b;
        const cls = project?.classes.find((c) => c.hotkey === d);
        return { ...b, label: cls ? `Label it ${cls.name}` : 'no class (T gives it one)' };
      }),
    [project],
  );

  return (
    <div className="workspace labelling" data-testid="labelling">
      <aside className="label-side">
        {project ? (
          <ClipsPanel
            project={project}
            clips={clips.clips}
            total={clips.total}
            error={clips.error}
            selectedId={clipId}
            editable={editable}
            importRef={importer}
            states={clipStates.states}
            onBack={() => openProject(null)}
            onOpen={setClipId}
            onTaxonomy={() => setDialog('taxonomy')}
            onExport={() => setDialog('export')}
            onAddAlerts={() => setDialog('alerts')}
          />
        ) : (
          <ProjectsPanel projects={projects.projects} error={projects.error} editable={editable} onOpen={openProject} />
        )}
      </aside>
      <main className="stage">
        {notice && (
          <div className="stage-notice" role="status">
            {notice}
            <button type="button" className="link-button" onClick={() => setNotice(null)} aria-label="Dismiss">
              ×
            </button>
          </div>
        )}
        {project && clip ? (
          <LabelView
            key={clip.id}
            project={project}
            clip={clip}
            position={{ index, count: list.length }}
            editable={editable}
            onStepClip={stepClip}
            clipState={clipStates.states.get(clip.id) ?? 'todo'}
            onClipState={markClip}
            onNextToDo={() => openNextToDo()}
            onTaxonomy={() => editable && setDialog('taxonomy')}
            onExport={() => setDialog('export')}
          />
        ) : (
          <div className="stage-empty">
            <div>
              <div className="stage-empty-title">{project ? 'No clips in this project yet' : 'Choose or create a labelling project'}</div>
              <div>
                {project ? 'Import a folder of WAV files, or add alerts from the store.' : 'Projects hold clips, their labels and the classes to label with.'}
              </div>
            </div>
          </div>
        )}
      </main>
      {help && (
        <KeysOverlay
          rows={rows}
          groups={LABEL_KEY_GROUPS}
          intro="Every labelling action works from the keyboard. Labels: a selection (or the chosen label) takes the class of its key."
          onClose={onCloseHelp}
        />
      )}
      {dialog === 'taxonomy' && project && <TaxonomyDialog project={project} onClose={() => setDialog(null)} />}
      {dialog === 'export' && project && <ExportDialog project={project} clipId={clip?.id ?? null} onClose={() => setDialog(null)} />}
      {dialog === 'alerts' && project && <AddAlertsDialog project={project} onClose={() => setDialog(null)} />}
    </div>
  );
}
