import type { Label, LabelClass, LabelFilter, Project, ProjectClip } from '../../contract/index.ts';
import type { NewClip } from './alerts.ts';

/** How project and class names compare: Unicode-normalised and lower-cased, so 'Gunshot' and 'gunshot' are one name. */
export const nameKey = (name: string): string => name.normalize('NFC').toLowerCase();

export interface NewProjectClip {
  projectId: number;
  sha256: string;
  origin: 'audio' | 'alert';
  originKey: string;
  alertId: number | null;
  sensorId: string | null;
  channel: number;
  clipStartUs: number | null;
  name: string;
  site: string;
  sensorKey: string;
  /** The recording a plain clip was cut from, when its import said so; null or absent: a recording of its own. */
  sourceRecording?: string | null;
  addedBy: string;
  addedUs: number;
}

/** A clip file's facts, as the clips table holds them (the same shape ingest inserts). */
export type ClipFileFacts = NewClip;

/** What an export writes about the alert a track came from. */
export interface AlertFacts {
  alertId: number;
  source: string;
  externalId: string;
  detectedUs: number;
  decisionClass: string | null;
  decisionRounds: number | null;
  decidedBy: string | null;
  solutionRounds: number | null;
  /** The newest solution's first shot, when it is on the globe (local frames are not comparable between alerts). */
  lat: number | null;
  lon: number | null;
}

export type ClipStateName = 'todo' | 'done' | 'skipped';

export interface ClassInput {
  name: string;
  colour: string;
  hotkey: number | null;
  position: number;
}

/** Projects, their label classes, project clips and cached peaks. */
export interface DatasetProjectQueries {
  project(id: number): Promise<Project | undefined>;
  projectIdByName(name: string): Promise<number | undefined>;
  listProjects(): Promise<Project[]>;
  insertProject(name: string, description: string, by: string, atUs: number): Promise<number>;
  updateProject(id: number, name: string, description: string, atUs: number): Promise<void>;
  touchProject(id: number, atUs: number): Promise<void>;
  classes(projectId: number): Promise<LabelClass[]>;
  insertClass(projectId: number, c: ClassInput): Promise<number>;
  /** Frees a class's unique name and hotkey before a swap writes the final values. */
  parkClass(id: number): Promise<void>;
  updateClass(projectId: number, id: number, c: ClassInput): Promise<void>;
  deleteClass(projectId: number, id: number): Promise<void>;
  classUsage(id: number): Promise<number>;
  /** Records a clip file's facts (once per content hash). */
  insertClipFile(f: ClipFileFacts, atUs: number): Promise<void>;
  clipFile(sha256: string): Promise<ClipFileFacts | undefined>;
  insertProjectClip(c: NewProjectClip): Promise<number>;
  findProjectClip(projectId: number, sha256: string, originKey: string): Promise<{ id: number; name: string } | undefined>;
  clip(id: number): Promise<ProjectClip | undefined>;
  clips(projectId: number, limit: number, offset: number): Promise<ProjectClip[]>;
  clipsByIds(projectId: number, ids: readonly number[]): Promise<ProjectClip[]>;
  clipCount(projectId: number): Promise<number>;
  alertFacts(alertId: number): Promise<AlertFacts | undefined>;
  /** One trainer's states of a project's clips (clips without a row are to do). */
  clipStates(projectId: number, trainer: string): Promise<{ clipId: number; state: ClipStateName; updatedUs: number }[]>;
  /** Everyone who has a state for a clip of the project, by name. */
  clipStateTrainers(projectId: number): Promise<string[]>;
  clipState(clipId: number, trainer: string): Promise<ClipStateName>;
  putClipState(clipId: number, trainer: string, state: ClipStateName, atUs: number): Promise<void>;
  peaks(sha256: string, channel: number): Promise<{ peaksPerSecond: number; peaks: Float32Array } | undefined>;
  /** Derived data, the same for everyone: cached without an audit entry. */
  putPeaks(sha256: string, channel: number, peaksPerSecond: number, peaks: Float32Array): Promise<void>;
}

/** A label's measurable part: what every format carries and every round trip must keep. */
export interface LabelGeometry {
  classId: number;
  channel: number;
  startSample: number;
  endSample: number;
  lowHz: number | null;
  highHz: number | null;
}

export interface NewLabel extends LabelGeometry {
  projectId: number;
  clipId: number;
  annotator: string;
  atUs: number;
}

export interface DatasetLabelQueries {
  get(id: number): Promise<Label | undefined>;
  insert(l: NewLabel): Promise<number>;
  update(id: number, g: LabelGeometry, by: string, atUs: number): Promise<void>;
  delete(id: number): Promise<void>;
  /** The id of a label on the clip with exactly this geometry and class, if any. */
  findIdentical(clipId: number, g: LabelGeometry): Promise<number | undefined>;
  list(projectId: number, clipId: number | null, filter: LabelFilter, limit: number, offset: number): Promise<Label[]>;
  count(projectId: number, clipId: number | null, filter: LabelFilter): Promise<number>;
}
