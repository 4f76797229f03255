/**
 * Labelling projects: taxonomy, clips, labels (selections), imports and exports of data sets.
 * Times of labels are integer SAMPLES of their clip, so every round trip is exact to the sample.
 */
import { z } from 'zod';
import { defineEvent, defineMethod } from './define.ts';
import { Id, Micros } from './common.ts';
import { ClipInfo } from './alerts.ts';
import { DeliveredFile, FileSource, FileTarget } from './files.ts';

const TRAINERS = ['trainer', 'admin'] as const;

/**
 * A label class name: what exports write in their label column. It starts with a letter or digit, so
 * no cell of any export can begin with = + - @ (spreadsheet formulas), and has no tab, quote or newline.
 */
export const LABEL_NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _.()/-]{0,63}$/u;
export const LabelName = z.string().regex(LABEL_NAME_PATTERN, 'a label name: up to 64 letters, digits, spaces or _ . ( ) / -, starting with a letter or digit');
export const Colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb');
/** 1-9 are the digit keys; 10-18 the second bank (0, then 1-9). */
export const Hotkey = z.number().int().min(1).max(18);
// Refusing control characters is the point of this pattern.
// eslint-disable-next-line no-control-regex
const NO_CONTROL = /^[^\u0000-\u001f\u007f]+$/;
const OneLine = (max: number) => z.string().trim().min(1).max(max).regex(NO_CONTROL, 'one line of text, no control characters');
export const ProjectName = OneLine(100);
/** A column of a selection table's header, by its name. */
const LabelColumn = OneLine(100);

export const LabelClass = z.object({
  id: Id,
  name: z.string(),
  colour: z.string(),
  /** The digit key that applies this label in the labelling view, or null. */
  hotkey: Hotkey.nullable(),
  position: z.number().int(),
});
export type LabelClass = z.infer<typeof LabelClass>;

export const LabelClassInput = z.object({
  /** An existing class (renamed or recoloured in place, its labels follow); omitted for a new class. */
  id: Id.optional(),
  name: LabelName,
  colour: Colour,
  hotkey: Hotkey.nullable().default(null),
});

/** A trainer's progress through a clip; no state stored means to do. */
export const ClipStateName = z.enum(['todo', 'done', 'skipped']);
export const ClipState = z.object({ clipId: Id, state: ClipStateName, updatedUs: z.number().int() });
export type ClipState = z.infer<typeof ClipState>;

/** Inter-labeller agreement of a project: per pair of trainers and per class, by onset matching within a tolerance. */
export const LabellerAgreement = z.object({
  projectId: Id,
  toleranceMs: z.number(),
  /** Everyone who labelled a clip of the project or marked one done. */
  trainers: z.array(z.string()),
  pairs: z.array(
    z.object({
      a: z.string(),
      b: z.string(),
      /** Clips both worked on (labelled, or marked done): only these are compared. */
      sharedClips: z.number().int(),
      classes: z.array(
        z.object({ label: z.string(), aCount: z.number().int(), bCount: z.number().int(), matched: z.number().int(), f: z.number().nullable() }),
      ),
    }),
  ),
  /** Per class over every pair: 2 x matched / events. */
  classes: z.array(z.object({ label: z.string(), matched: z.number().int(), events: z.number().int(), f: z.number() })),
});
export type LabellerAgreement = z.infer<typeof LabellerAgreement>;

export const Project = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  createdBy: z.string(),
  createdUs: Micros,
  updatedUs: Micros,
  clipCount: z.number().int(),
  labelCount: z.number().int(),
  classes: z.array(LabelClass),
});
export type Project = z.infer<typeof Project>;

export const ProjectClip = z.object({
  id: Id,
  projectId: Id,
  /** Where it came from: the file's path below the imported folder, or source/alert/sensor. */
  name: z.string(),
  origin: z.enum(['audio', 'alert']),
  clip: ClipInfo,
  /** The channel labels default to: the sensor's channel for alert tracks, 0 for plain audio. */
  channel: z.number().int().min(0),
  alertId: Id.nullable(),
  sensorId: z.string().nullable(),
  /** UTC of the first sample; null for plain audio, which has no metadata. */
  clipStartUs: Micros.nullable(),
  site: z.string(),
  sensorKey: z.string(),
  /** The recording a plain clip was cut from, when its import said so (the folder's pieces); null: a recording of its own. */
  sourceRecording: z.string().nullable(),
  labelCount: z.number().int(),
  addedBy: z.string(),
  addedUs: Micros,
});
export type ProjectClip = z.infer<typeof ProjectClip>;

export const Label = z.object({
  id: Id,
  projectId: Id,
  clipId: Id,
  classId: Id,
  /** The class name at the time of reading. */
  label: z.string(),
  channel: z.number().int().min(0),
  /** First sample of the selection, counted from the clip's first sample. */
  startSample: z.number().int().min(0),
  /** One past the last sample: the selection holds endSample - startSample samples. */
  endSample: z.number().int().min(1),
  sampleRate: z.number().int(),
  lowHz: z.number().nullable(),
  highHz: z.number().nullable(),
  annotator: z.string(),
  createdUs: Micros,
  updatedUs: Micros,
  updatedBy: z.string(),
  /** Bumped by every change; pass it back as expectedVersion so two seats never overwrite each other. */
  version: z.number().int().min(1),
});
export type Label = z.infer<typeof Label>;

export const LabelFilter = z.object({
  clipIds: z.array(Id).max(100_000).optional(),
  labels: z.array(LabelName).max(500).optional(),
  annotators: z.array(OneLine(200)).max(100).optional(),
  updatedFromUs: Micros.optional(),
  updatedToUs: Micros.optional(),
});
export type LabelFilter = z.infer<typeof LabelFilter>;

const Band = {
  /** Optional frequency band in Hz (kept to 0.01 Hz); both or neither. The full band 0..Nyquist is stored as no band. */
  lowHz: z.number().min(0).max(1e6).nullable().default(null),
  highHz: z.number().min(0).max(1e6).nullable().default(null),
};

/**
 * What a split keeps together. `alert` (the default): every track of one alert (the same shot heard
 * from several places); `incident`: alerts of one network within minutes and a kilometre of each
 * other; `recording`: one source recording (overlapping pieces of one sensor's stream, or the pieces
 * an import said were cut from one file); then `site`, `sensor`, UTC `date` and `clip`. A clip
 * without the key (plain audio has no alert, sensor or date) is kept with its source recording, and
 * the export says so.
 */
export const SplitBy = z.enum(['alert', 'incident', 'recording', 'site', 'sensor', 'date', 'clip']);
export type SplitBy = z.infer<typeof SplitBy>;
export const ExportFormat = z.enum(['audiofolder', 'raven', 'audacity', 'jsonl']);
export const SplitShares = z
  .object({ train: z.number().min(0).max(1), validation: z.number().min(0).max(1), test: z.number().min(0).max(1) })
  .refine((s) => Math.abs(s.train + s.validation + s.test - 1) < 1e-9, 'train + validation + test must be 1');

export const AudiofolderOptions = z.object({
  /** One WAV per label (cut exactly to the selection, mono) or one per clip (the whole track, as stored). */
  unit: z.enum(['label', 'clip']).default('label'),
  /** What no split may share: every clip of one alert (default), incident, recording, site, sensor, UTC date or clip lands in one split. */
  splitBy: SplitBy.default('alert'),
  splits: SplitShares.default({ train: 0.8, validation: 0.1, test: 0.1 }),
  /** The same seed and data give the same splits. */
  seed: z.string().max(100).default('earwitness'),
  /**
   * A split where one alert, clip or source recording lands in two splits is refused: a model
   * would be tested on what it trained on. True exports it anyway, with the leak named in the
   * result's warnings and the manifest.
   */
  allowLeaks: z.boolean().default(false),
});

export const ExportRequest = z.object({
  projectId: Id,
  format: ExportFormat,
  /** A folder on the core machine that does not exist yet or is empty; written all at once at the end. */
  outDir: z.string().min(1).max(4096),
  filter: LabelFilter.prefault({}),
  audiofolder: AudiofolderOptions.prefault({}),
});
export type ExportRequest = z.infer<typeof ExportRequest>;

/** A seat's export: the same request, delivered as one zip file instead of a folder on the core machine. */
export const ExportArchiveRequest = ExportRequest.omit({ outDir: true }).extend({ to: FileTarget });
export type ExportArchiveRequest = z.infer<typeof ExportArchiveRequest>;

export const FileOutcome = z.object({
  path: z.string(),
  status: z.enum(['imported', 'duplicate', 'refused']),
  clipId: Id.nullable(),
  message: z.string(),
});
export type FileOutcome = z.infer<typeof FileOutcome>;

export const ImportAudioResult = z.object({
  kind: z.literal('import-audio'),
  projectId: Id,
  /** onBadFile was 'abort' and some file was bad: nothing was imported. */
  aborted: z.boolean(),
  imported: z.number().int(),
  duplicates: z.number().int(),
  refused: z.number().int(),
  /** Files without a .wav/.wave name, left alone. */
  ignored: z.number().int(),
  /** Every refusal and duplicate, then imports, up to 2000 entries; `omitted` counts the rest. */
  files: z.array(FileOutcome),
  omitted: z.number().int(),
});
export type ImportAudioResult = z.infer<typeof ImportAudioResult>;

export const SplitSummary = z.object({
  groups: z.number().int(),
  clips: z.number().int(),
  files: z.number().int(),
  labels: z.number().int(),
  /** Labels per class in this split. */
  classes: z.record(z.string(), z.number().int()),
});

/** What the clips were kept together by: the key asked for, or what stood in where a clip lacks it. */
export const SplitGrouping = z.object({
  basis: z.enum(['alert', 'incident', 'recording', 'site', 'sensor', 'folder', 'date', 'clip']),
  clips: z.number().int(),
  /** Why this basis stood in for the key asked for, or null where it is the key itself. */
  because: z.string().nullable(),
});

/** Alerts, clips (the same audio) and source recordings found in more than one split. */
export const SplitLeaks = z.object({
  alerts: z.number().int(),
  clips: z.number().int(),
  recordings: z.number().int(),
  /** A few of them, each with the splits it is in. */
  examples: z.array(z.string()),
  /** The export went ahead because the request allowed it (allowLeaks). */
  allowed: z.boolean(),
});

export const ExportResult = z.object({
  kind: z.literal('export'),
  projectId: Id,
  format: ExportFormat,
  /** The folder written on the core machine (command line), or null for a zip. */
  outDir: z.string().nullable(),
  /** The zip a seat asked for: its download, or the file a desktop save grant named. */
  archive: DeliveredFile.nullable().default(null),
  files: z.number().int(),
  clips: z.number().int(),
  labels: z.number().int(),
  splits: z.object({ train: SplitSummary, validation: SplitSummary, test: SplitSummary }).nullable(),
  /** audiofolder: what each clip was kept together by. */
  grouping: z.array(SplitGrouping).nullable().default(null),
  /** audiofolder: what crossed splits (only ever non-zero when allowLeaks was given). */
  leaks: SplitLeaks.nullable().default(null),
  warnings: z.array(z.string()),
});
export type ExportResult = z.infer<typeof ExportResult>;

export const DatasetJob = z.object({
  id: z.string(),
  kind: z.enum(['import-audio', 'export']),
  projectId: Id,
  startedBy: z.string(),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  /** scan, read, commit (imports); read, write, finish (exports). */
  phase: z.string(),
  done: z.number().int(),
  /** 0 while unknown (scanning). */
  total: z.number().int(),
  startedUs: Micros,
  finishedUs: Micros.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  result: z.discriminatedUnion('kind', [ImportAudioResult, ExportResult]).nullable(),
});
export type DatasetJob = z.infer<typeof DatasetJob>;

export const LabelImportResult = z.object({
  projectId: Id,
  clipIds: z.array(Id),
  format: z.enum(['raven', 'audacity', 'jsonl']),
  /** Raven tables: the column the labels were read from. */
  labelColumn: z.string().nullable().default(null),
  /** What was read as the tool meant it (point labels, BirdNET's placeholder rows, segments past the end). */
  notes: z.array(z.string()).default([]),
  added: z.number().int(),
  /** Selections identical to a label already on the clip: left as they are, so importing twice changes nothing. */
  unchanged: z.number().int(),
  labels: z.array(Label),
});
export type LabelImportResult = z.infer<typeof LabelImportResult>;

export const datasetMethods = {
  listProjects: defineMethod({
    seal: { none: true },
    summary: 'Labelling projects with their taxonomy and counts, by name.',
    input: z.object({}).prefault({}),
    output: z.object({ projects: z.array(Project) }),
  }),
  getProject: defineMethod({
    seal: { none: true },
    summary: 'One labelling project with its taxonomy.',
    input: z.object({ id: Id }),
    output: Project,
  }),
  createProject: defineMethod({
    seal: { none: true },
    summary: 'Create a labelling project. The default taxonomy is the review taxonomy plus pulse labels (muzzle blast, shockwave, echo, noise).',
    input: z.object({
      name: ProjectName,
      description: z.string().max(4000).default(''),
      taxonomy: z.enum(['default', 'empty']).default('default'),
    }),
    output: Project,
    roles: TRAINERS,
  }),
  updateProject: defineMethod({
    seal: { none: true },
    summary: 'Rename a project or change its description.',
    input: z.object({ id: Id, name: ProjectName.optional(), description: z.string().max(4000).optional() }),
    output: Project,
    roles: TRAINERS,
  }),
  updateTaxonomy: defineMethod({
    seal: { none: true },
    summary:
      "Replace a project's label classes in one step, in the order given: classes with an id are renamed/recoloured in place (their labels follow), new ones are added, missing ones removed (refused while labels use them).",
    input: z.object({ projectId: Id, classes: z.array(LabelClassInput).max(200) }),
    output: Project,
    roles: TRAINERS,
  }),
  listProjectClips: defineMethod({
    seal: { none: true },
    summary: 'The clips of a project, in the order they were added.',
    input: z.object({ projectId: Id, limit: z.number().int().min(1).max(10_000).default(1000), offset: z.number().int().min(0).default(0) }),
    output: z.object({ clips: z.array(ProjectClip), total: z.number().int() }),
  }),
  listClipStates: defineMethod({
    seal: { none: true },
    summary: "The caller's state of each clip of a project (to do, done, skipped), for working through it: a clip not listed is to do.",
    input: z.object({ projectId: Id }),
    output: z.object({ trainer: z.string(), states: z.array(ClipState) }),
  }),
  setClipState: defineMethod({
    seal: { none: true },
    summary: 'Marks a clip to do, done or skipped for the caller (each trainer keeps their own).',
    input: z.object({ clipId: Id, state: ClipStateName }),
    output: ClipState,
    roles: TRAINERS,
  }),
  getLabellerAgreement: defineMethod({
    seal: { none: true },
    summary:
      'How far the trainers of a project agree, per class: their labels matched one to one by onset within a tolerance (default 50 ms, as mir_eval.onset), over the clips each pair both worked on.',
    input: z.object({ projectId: Id, toleranceMs: z.number().min(0.1).max(1000).default(50) }),
    output: LabellerAgreement,
    roles: ['trainer', 'auditor', 'admin'],
  }),
  getProjectClipPeaks: defineMethod({
    seal: { none: true },
    summary: 'Waveform peaks of one channel of a project clip (interleaved max, min pairs), computed on first use and kept.',
    input: z.object({ clipId: Id, channel: z.number().int().min(0).max(31).optional() }),
    output: z.object({ clipId: Id, channel: z.number().int(), peaksPerSecond: z.number(), peaks: z.array(z.number()) }),
  }),
  addAlertsToProject: defineMethod({
    seal: { none: true },
    summary: 'Add every track of the given alerts to a project as clips (tracks already there are left alone).',
    input: z.object({ projectId: Id, alertIds: z.array(Id).min(1).max(10_000), site: OneLine(200).optional() }),
    output: z.object({ added: z.array(ProjectClip), alreadyPresent: z.number().int() }),
    roles: TRAINERS,
  }),
  startAudioImport: defineMethod({
    seal: { none: true },
    summary:
      'Command line only: start importing WAV files or folders of them (recursively) from paths on the core machine as unlocated clips. Progress arrives as datasetJobProgress events; all good files land in one transaction at the end, or none if cancelled.',
    input: z.object({
      projectId: Id,
      paths: z.array(z.string().min(1).max(4096)).min(1).max(100),
      /** Overrides the site taken from each file's top folder. */
      site: OneLine(200).optional(),
      /** skip: import the good files and report the bad; abort: import nothing when any file is bad. */
      onBadFile: z.enum(['skip', 'abort']).default('skip'),
      /** folder: the files of one folder are pieces cut from one recording, which data set splits keep together. */
      recordings: z.enum(['file', 'folder']).default('file'),
    }),
    output: z.object({ jobId: z.string() }),
    roles: TRAINERS,
    local: true,
    seatVariant: 'startAudioFileImport',
  }),
  startAudioFileImport: defineMethod({
    seal: { none: true },
    summary:
      'Start importing the WAV files of an upload (with their relative names; sites and sensors come from its folders as for a folder on the command line) or of a desktop grant (purpose labelAudioFolders or labelAudioFiles) as unlocated clips. Progress arrives as datasetJobProgress events; all good files land in one transaction at the end, or none if cancelled.',
    input: z.object({
      projectId: Id,
      files: FileSource,
      site: OneLine(200).optional(),
      onBadFile: z.enum(['skip', 'abort']).default('skip'),
      recordings: z.enum(['file', 'folder']).default('file'),
    }),
    output: z.object({ jobId: z.string() }),
    roles: TRAINERS,
  }),
  listLabels: defineMethod({
    seal: { none: true },
    summary: 'Labels of a project (or of one clip), by clip and start sample, with filters.',
    input: z.object({
      projectId: Id,
      clipId: Id.optional(),
      filter: LabelFilter.prefault({}),
      limit: z.number().int().min(1).max(100_000).default(10_000),
      offset: z.number().int().min(0).default(0),
    }),
    output: z.object({ labels: z.array(Label), total: z.number().int() }),
  }),
  createLabel: defineMethod({
    seal: { none: true },
    summary: 'Label a selection of a clip: channel, samples [startSample, endSample), optional band, class.',
    input: z.object({
      clipId: Id,
      classId: Id,
      channel: z.number().int().min(0).max(31).optional(),
      startSample: z.number().int().min(0),
      endSample: z.number().int().min(1),
      ...Band,
    }),
    output: Label,
    roles: TRAINERS,
  }),
  updateLabel: defineMethod({
    seal: { none: true },
    summary: 'Resize, move or relabel a label (only the fields given change).',
    input: z.object({
      id: Id,
      expectedVersion: z.number().int().min(1).optional(),
      classId: Id.optional(),
      channel: z.number().int().min(0).max(31).optional(),
      startSample: z.number().int().min(0).optional(),
      endSample: z.number().int().min(1).optional(),
      lowHz: z.number().min(0).max(1e6).nullable().optional(),
      highHz: z.number().min(0).max(1e6).nullable().optional(),
    }),
    output: Label,
    roles: TRAINERS,
  }),
  deleteLabel: defineMethod({
    seal: { none: true },
    summary: 'Delete a label (the audit log keeps what it was).',
    input: z.object({ id: Id, expectedVersion: z.number().int().min(1).optional() }),
    output: z.object({ id: Id }),
    roles: TRAINERS,
  }),
  importLabelFile: defineMethod({
    seal: { none: true },
    summary:
      'Command line only: read a Raven selection table, an Audacity label track or Earwitness JSON Lines from a path on the core machine onto one clip (clipId), or JSON Lines onto the clips of a project its lines name (projectId). Strict: any bad row refuses the whole file and nothing is written.',
    input: z
      .object({
        clipId: Id.optional(),
        projectId: Id.optional(),
        path: z.string().min(1).max(4096),
        format: z.enum(['auto', 'raven', 'audacity', 'jsonl']).default('auto'),
        /** Audacity tracks carry no channel: the channel they apply to (default: the clip's). */
        channel: z.number().int().min(0).max(31).optional(),
        /** Raven tables: the column holding the labels, e.g. BirdNET's "Common Name" or "Species Code" (default: Annotation, Label, Class, Species, Common Name or Type, the first present). */
        labelColumn: LabelColumn.optional(),
      })
      .refine((i) => (i.clipId === undefined) !== (i.projectId === undefined), 'give either clipId or projectId'),
    output: LabelImportResult,
    roles: TRAINERS,
    local: true,
    seatVariant: 'importLabels',
  }),
  importLabels: defineMethod({
    seal: { none: true },
    summary:
      'Read a Raven selection table, an Audacity label track or Earwitness JSON Lines, uploaded (an upload of one file) or chosen in the desktop dialog (a grant of purpose labelFile), onto one clip (clipId), or JSON Lines onto the clips of a project its lines name (projectId). Strict: any bad row refuses the whole file and nothing is written.',
    input: z
      .object({
        clipId: Id.optional(),
        projectId: Id.optional(),
        file: FileSource,
        format: z.enum(['auto', 'raven', 'audacity', 'jsonl']).default('auto'),
        channel: z.number().int().min(0).max(31).optional(),
        labelColumn: LabelColumn.optional(),
      })
      .refine((i) => (i.clipId === undefined) !== (i.projectId === undefined), 'give either clipId or projectId'),
    output: LabelImportResult,
    roles: TRAINERS,
  }),
  startExport: defineMethod({
    seal: { none: true },
    summary:
      'Command line only: start exporting a project (or a filtered selection of its labels) into a folder on the core machine. Progress arrives as datasetJobProgress events; the folder appears only when complete.',
    input: ExportRequest,
    output: z.object({ jobId: z.string() }),
    roles: TRAINERS,
    local: true,
    seatVariant: 'startExportArchive',
  }),
  startExportArchive: defineMethod({
    seal: { none: true },
    summary:
      'Start exporting a project (or a filtered selection of its labels) as one zip file: a download of this seat, or into the file a desktop save grant (purpose dataset) names. Progress arrives as datasetJobProgress events; the job result names the file once complete.',
    input: ExportArchiveRequest,
    output: z.object({ jobId: z.string() }),
    roles: TRAINERS,
  }),
  getDatasetJob: defineMethod({
    seal: { none: true },
    summary: 'State, progress and result of an import or export job of this core run.',
    input: z.object({ jobId: z.string().max(100) }),
    output: DatasetJob,
  }),
  cancelDatasetJob: defineMethod({
    seal: { none: true },
    summary: 'Ask a running job to stop. It stops before its final transaction (or rename) and leaves nothing behind.',
    input: z.object({ jobId: z.string().max(100) }),
    output: z.object({ cancelled: z.boolean(), job: DatasetJob }),
    roles: TRAINERS,
  }),
};

export const datasetEvents = {
  datasetJobProgress: defineEvent({
    seal: { none: true },
    summary: 'An import or export job moved on, finished, failed or was cancelled.',
    payload: z.object({ job: DatasetJob }),
  }),
  datasetChanged: defineEvent({
    seal: { none: true },
    summary: 'A project, its taxonomy, clips or labels changed (by any seat or import).',
    payload: z.object({ projectId: Id, what: z.enum(['project', 'taxonomy', 'clips', 'labels']), clipIds: z.array(Id) }),
  }),
};
