import { parseArgs } from 'node:util';
import { ERROR_CODES, methods, type ExportRequest, type FileOutcome } from '../contract/index.ts';
import type { Core } from '../core/core.ts';
import { checkOutsideDataFolder } from '../files/data-folder.ts';
import type { Session } from '../kernel/session.ts';
import { exportDataset } from '../dataset/export.ts';
import { classTable } from '../dataset/export-audiofolder.ts';
import { importAudio } from '../dataset/import-audio.ts';
import { CancelledError, inlineControl, type JobControl } from '../dataset/jobs.ts';
import { readProjectByName } from '../dataset/projects.ts';
import { isUserError } from '../util/errors.ts';
import { UsageError } from './command.ts';
import { DATABASE_OPTION, openCommandCore } from './database.ts';
import type { CliIo } from './io.ts';

const COMMON = { data: { type: 'string' }, ...DATABASE_OPTION, json: { type: 'boolean' } } as const;

interface Io {
  core: Core;
  session: Session;
  json: boolean;
  cli: CliIo;
  /** One line on stdout. */
  print(text: string): void;
}

const toId = (s: string, what: string) => {
  if (!/^[1-9]\d{0,14}$/.test(s)) throw new UsageError(`${what} ${JSON.stringify(s)} is not an id`);
  return Number(s);
};

/** Progress on stderr: a rewritten line on a terminal, phase changes otherwise. Ctrl-C cancels cleanly. */
function cliControl(io: CliIo): { ctl: JobControl; dispose: () => void } {
  const abort = new AbortController();
  const onSignal = () => {
    io.err('\ncancelling: nothing will be written...\n');
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  let lastPhase = '';
  let lastAt = 0;
  const ctl = inlineControl(abort.signal, (phase, done, total) => {
    const now = performance.now();
    if (io.stderrIsTTY) {
      if (phase === lastPhase && now - lastAt < 200) return;
      io.err(`\r${phase} ${done}${total ? `/${total}` : ''}   `);
    } else if (phase !== lastPhase) io.err(`${phase}...\n`);
    lastPhase = phase;
    lastAt = now;
  });
  return {
    ctl,
    dispose: () => {
      process.off('SIGINT', onSignal);
      if (io.stderrIsTTY && lastPhase) io.err('\n');
    },
  };
}

async function runProjects(io: Io): Promise<number> {
  const { projects } = await io.core.call(io.session, 'listProjects', {});
  if (io.json) io.print(JSON.stringify({ projects }, null, 2));
  else
    for (const p of projects) io.print(`${String(p.id).padStart(4)}  ${p.name}  (${p.clipCount} clips, ${p.labelCount} labels, ${p.classes.length} classes)`);
  return 0;
}

async function runCreateProject(io: Io, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...COMMON, description: { type: 'string' }, 'empty-taxonomy': { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError('create-project takes one NAME');
  const p = await io.core.call(io.session, 'createProject', {
    name: positionals[0],
    description: values.description ?? '',
    taxonomy: values['empty-taxonomy'] ? 'empty' : 'default',
  });
  if (io.json) io.print(JSON.stringify(p, null, 2));
  else io.print(`created project ${p.id} ${JSON.stringify(p.name)} with ${p.classes.length} label classes`);
  return 0;
}

function reportFiles(io: Io, files: readonly FileOutcome[]): void {
  for (const f of files) if (f.status !== 'imported') io.print(`${f.status.padEnd(9)} ${f.path}: ${f.message}`);
}

async function runImportAudio(io: Io, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...COMMON, project: { type: 'string' }, site: { type: 'string' }, strict: { type: 'boolean' }, 'recording-per-folder': { type: 'boolean' } },
  });
  if (!values.project || positionals.length === 0) throw new UsageError('import-audio needs PATH... and --project NAME');
  const project = await readProjectByName(io.core, values.project);
  for (const p of positionals) checkOutsideDataFolder(io.core.config.dataDir, p, 'walk');
  const { ctl, dispose } = cliControl(io.cli);
  try {
    const r = await importAudio(
      io.core,
      io.session.actor!.name,
      {
        projectId: project.id,
        paths: positionals,
        site: values.site,
        onBadFile: values.strict ? 'abort' : 'skip',
        recordings: values['recording-per-folder'] ? 'folder' : 'file',
      },
      ctl,
    );
    if (io.json) io.print(JSON.stringify(r, null, 2));
    else {
      reportFiles(io, r.files);
      io.print(
        `${r.aborted ? 'aborted (--strict): nothing imported; ' : ''}imported ${r.imported}, duplicates ${r.duplicates}, refused ${r.refused}, other files ignored ${r.ignored}${r.omitted ? ` (${r.omitted} outcomes not listed)` : ''}`,
      );
    }
    return r.refused > 0 ? 1 : 0;
  } finally {
    dispose();
  }
}

async function runAddAlerts(io: Io, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...COMMON, project: { type: 'string' }, site: { type: 'string' } },
  });
  if (!values.project || positionals.length === 0) throw new UsageError('add-alerts needs ALERT_ID... and --project NAME');
  const project = await readProjectByName(io.core, values.project);
  const r = await io.core.call(io.session, 'addAlertsToProject', {
    projectId: project.id,
    alertIds: positionals.map((p) => toId(p, 'alert id')),
    site: values.site,
  });
  if (io.json) io.print(JSON.stringify(r, null, 2));
  else io.print(`added ${r.added.length} tracks as clips${r.alreadyPresent ? ` (${r.alreadyPresent} were there already)` : ''}`);
  return 0;
}

async function runClips(io: Io, argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...COMMON, project: { type: 'string' } } });
  if (!values.project) throw new UsageError('clips needs --project NAME');
  const project = await readProjectByName(io.core, values.project);
  const r = await io.core.call(io.session, 'listProjectClips', { projectId: project.id, limit: 10_000 });
  if (io.json) io.print(JSON.stringify(r, null, 2));
  else
    for (const c of r.clips)
      io.print(
        `${String(c.id).padStart(6)}  ${c.name}  ${c.clip.channels} ch ${c.clip.sampleRate} Hz ${c.clip.durationS.toFixed(3)} s  ${c.labelCount} labels`,
      );
  return 0;
}

async function runLabels(io: Io, argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...COMMON, project: { type: 'string' }, clip: { type: 'string' } } });
  if (!values.project) throw new UsageError('labels needs --project NAME');
  const project = await readProjectByName(io.core, values.project);
  const r = await io.core.call(io.session, 'listLabels', {
    projectId: project.id,
    clipId: values.clip ? toId(values.clip, 'clip id') : undefined,
    limit: 100_000,
  });
  if (io.json) io.print(JSON.stringify(r, null, 2));
  else
    for (const l of r.labels)
      io.print(
        `${String(l.id).padStart(6)}  clip ${l.clipId} ch ${l.channel}  ${l.startSample}-${l.endSample}  ${l.lowHz ?? ''}${l.lowHz === null ? '' : `-${l.highHz} Hz`}  ${l.label}  (${l.annotator})`,
      );
  return 0;
}

async function runImportLabels(io: Io, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...COMMON,
      clip: { type: 'string' },
      project: { type: 'string' },
      format: { type: 'string' },
      channel: { type: 'string' },
      'label-column': { type: 'string' },
    },
  });
  if (positionals.length !== 1 || !values.clip === !values.project)
    throw new UsageError('import needs one FILE and --clip ID (or --project NAME for JSON Lines)');
  const r = await io.core.call(io.session, 'importLabelFile', {
    clipId: values.clip ? toId(values.clip, 'clip id') : undefined,
    projectId: values.project ? (await readProjectByName(io.core, values.project)).id : undefined,
    path: positionals[0],
    format: values.format ?? 'auto',
    channel: values.channel === undefined ? undefined : Number(values.channel),
    labelColumn: values['label-column'],
  });
  if (io.json) io.print(JSON.stringify(r, null, 2));
  else {
    const column = r.labelColumn ? ` (labels from the ${JSON.stringify(r.labelColumn)} column)` : '';
    io.print(
      `${r.format}${column}: added ${r.added} labels to clip${r.clipIds.length === 1 ? '' : 's'} ${r.clipIds.join(', ')}${r.unchanged ? `; ${r.unchanged} were there already` : ''}`,
    );
    for (const note of r.notes) io.print(`note: ${note}`);
  }
  return 0;
}

function parseShares(text: string): ExportRequest['audiofolder']['splits'] {
  const parts = text.split(',').map(Number);
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p < 0))
    throw new UsageError('--splits is train,validation,test shares such as 0.8,0.1,0.1');
  return { train: parts[0]!, validation: parts[1]!, test: parts[2]! };
}

async function runExport(io: Io, argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...COMMON,
      project: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      unit: { type: 'string' },
      'split-by': { type: 'string' },
      splits: { type: 'string' },
      seed: { type: 'string' },
      label: { type: 'string', multiple: true },
      clip: { type: 'string', multiple: true },
      annotator: { type: 'string', multiple: true },
      'allow-leaks': { type: 'boolean' },
    },
  });
  if (!values.project || !values.format || !values.out) throw new UsageError('export needs --project NAME --format audiofolder|raven|audacity|jsonl --out DIR');
  const project = await readProjectByName(io.core, values.project);
  const parsed = methods.startExport.input.safeParse({
    projectId: project.id,
    format: values.format,
    outDir: values.out,
    filter: { labels: values.label, clipIds: values.clip?.map((c) => toId(c, 'clip id')), annotators: values.annotator },
    audiofolder: {
      unit: values.unit,
      splitBy: values['split-by'],
      splits: values.splits ? parseShares(values.splits) : undefined,
      seed: values.seed,
      allowLeaks: values['allow-leaks'] === true,
    },
  });
  if (!parsed.success)
    throw new UsageError(
      parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; '),
    );
  checkOutsideDataFolder(io.core.config.dataDir, parsed.data.outDir, 'write');
  const { ctl, dispose } = cliControl(io.cli);
  try {
    const r = await exportDataset(io.core, io.session.actor!.name, parsed.data, ctl);
    if (io.json) io.print(JSON.stringify(r, null, 2));
    else {
      for (const w of r.warnings) io.cli.err(`warning: ${w}\n`);
      const splits = r.splits ? ` (train ${r.splits.train.labels}, validation ${r.splits.validation.labels}, test ${r.splits.test.labels} labels)` : '';
      io.print(`exported ${r.labels} labels of ${r.clips} clips as ${r.format} into ${r.outDir}: ${r.files} files${splits}`);
      if (r.grouping) io.print(`kept together by ${r.grouping.map((g) => `${g.basis} (${g.clips} clip${g.clips === 1 ? '' : 's'})`).join(', ')}`);
      if (r.splits) for (const line of classTable(r.splits)) io.print(line);
    }
    return 0;
  } finally {
    dispose();
  }
}

const SUBCOMMANDS: Record<string, (io: Io, argv: string[]) => Promise<number>> = {
  projects: (io) => runProjects(io),
  'create-project': runCreateProject,
  'import-audio': runImportAudio,
  'add-alerts': runAddAlerts,
  clips: runClips,
  labels: runLabels,
  import: runImportLabels,
  export: runExport,
};

export async function run(argv: string[], cli: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const handler = sub ? SUBCOMMANDS[sub] : undefined;
  if (!handler || !Object.hasOwn(SUBCOMMANDS, sub!)) {
    cli.err(`earwitness dataset: ${sub ? `no subcommand ${JSON.stringify(sub)}` : 'say which subcommand'} (earwitness dataset --help)\n`);
    return 2;
  }
  // Every subcommand takes --data and --json; read them leniently here, strictly in the subcommand.
  const { values } = parseArgs({ args: rest, allowPositionals: true, strict: false, options: COMMON });
  const core = await openCommandCore({
    data: typeof values.data === 'string' ? values.data : undefined,
    database: typeof values.database === 'string' ? values.database : undefined,
  });
  try {
    return await handler({ core, session: core.openSession('cli'), json: values.json === true, cli, print: (text) => cli.out(`${text}\n`) }, rest);
  } catch (e) {
    // Errors a user can cause (a bad file, an unknown project) are one line and status 1.
    const code = (e as { code?: string }).code;
    if (e instanceof CancelledError) {
      cli.err('earwitness dataset: cancelled; nothing was written\n');
      return 130;
    }
    if (isUserError(e) || (code !== undefined && code !== 'internal' && (ERROR_CODES as readonly string[]).includes(code))) {
      cli.err(`earwitness dataset ${sub}: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  } finally {
    await core.close();
  }
}
