import { readFileSync, realpathSync } from 'node:fs';
import type { FileOutcome, ImportAudioResult } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import { decodeChannel, parseWav, WavError } from '../audio/wav.ts';
import { ClipStore } from '../store/clip-store.ts';
import type { ClipFileFacts } from '../kernel/store-port.ts';
import { UserError } from '../util/errors.ts';
import { scanAudioPaths, type ScannedFile } from './audio-scan.ts';
import type { JobControl } from './jobs.ts';
import { requireProject } from './projects.ts';

export interface ImportAudioRequest {
  projectId: number;
  paths: readonly string[];
  site?: string | undefined;
  onBadFile: 'skip' | 'abort';
  /** 'folder': the files of one folder are pieces cut from one recording (kept together by data set splits). */
  recordings?: 'file' | 'folder' | undefined;
  /** What the audit entry names as the source, when the paths are the core's own (an upload): what the seat chose. */
  recordedPaths?: readonly string[];
}

const MAX_OUTCOMES = 2000;

interface Accepted {
  file: ScannedFile;
  facts: ClipFileFacts;
}

/** Reads and checks one file: a WAV our reader takes whole (float files decoded, so NaN samples are refused). */
function readClip(f: ScannedFile): { bytes: Buffer; facts: ClipFileFacts } {
  // The tree may change between scan and read: the path must still be the very file the scan found.
  if (realpathSync(f.realPath) !== f.realPath) throw new UserError('bad_file', 'changed into a link while importing');
  const bytes = readFileSync(f.realPath);
  let info;
  try {
    info = parseWav(bytes);
    if (info.format.startsWith('float')) for (let c = 0; c < info.channels; c++) decodeChannel(bytes, info, c);
  } catch (e) {
    if (e instanceof WavError) throw new UserError('bad_file', e.message);
    throw e;
  }
  return {
    bytes,
    facts: {
      sha256: ClipStore.hash(bytes),
      bytes: bytes.byteLength,
      format: info.format,
      sampleRate: info.sampleRate,
      channels: info.channels,
      frames: info.frames,
    },
  };
}

/**
 * Imports plain WAV files as unlocated clips of a project.
 *
 * All-or-nothing per import: every file is first read, checked, hashed and written to the
 * content-addressed clip store (the slow part, cancellable between files); then ONE transaction
 * adds every good clip, with one audit entry. A cancel, a crash or an abort before that
 * transaction leaves no row: at most clip files no row refers to, which are invisible and reused
 * if the same audio is imported again. One transaction rather than batches because the rows are
 * small (100,000 clips insert in well under a second), so the write lock is held briefly, and a
 * half-imported folder is never visible to anyone.
 */
export async function importAudio(core: CoreServices, actor: string, req: ImportAudioRequest, ctl: JobControl): Promise<ImportAudioResult> {
  const { storePort, clips, clock } = core;
  await storePort.read((tx) => requireProject(tx, req.projectId));
  ctl.progress('scan', 0, 0);
  const scan = await scanAudioPaths(req.paths, ctl);
  const outcomes: FileOutcome[] = scan.refused.map((r) => ({ path: r.path, status: 'refused', clipId: null, message: r.message }));
  const accepted: Accepted[] = [];
  const firstBySha = new Map<string, string>();
  const total = scan.files.length;
  for (let i = 0; i < total; i++) {
    await ctl.checkpoint();
    ctl.progress('read', i, total);
    const f = scan.files[i]!;
    let read;
    try {
      read = readClip(f);
    } catch (e) {
      if (e instanceof UserError) outcomes.push({ path: f.name, status: 'refused', clipId: null, message: e.message });
      else if ((e as NodeJS.ErrnoException).code)
        outcomes.push({ path: f.name, status: 'refused', clipId: null, message: `cannot be read: ${(e as NodeJS.ErrnoException).code}` });
      else throw e;
      continue;
    }
    const sha = read.facts.sha256;
    const twin = firstBySha.get(sha);
    if (twin !== undefined) {
      outcomes.push({ path: f.name, status: 'duplicate', clipId: null, message: `the same audio as ${twin}: imported once` });
      continue;
    }
    const known = await storePort.read((tx) => tx.datasetProjects.findProjectClip(req.projectId, sha, 'audio'));
    if (known) {
      outcomes.push({ path: f.name, status: 'duplicate', clipId: known.id, message: `already in the project as clip ${known.id} (${known.name})` });
      continue;
    }
    firstBySha.set(sha, f.name);
    clips.put(sha, read.bytes);
    accepted.push({ file: f, facts: read.facts });
  }
  ctl.progress('read', total, total);

  const refused = outcomes.filter((o) => o.status === 'refused').length;
  const aborted = req.onBadFile === 'abort' && refused > 0;
  await ctl.checkpoint(); // the last moment a cancel applies: after it, the transaction runs whole
  const imported: FileOutcome[] = [];
  if (!aborted && accepted.length > 0) {
    ctl.progress('commit', 0, accepted.length);
    const committed = await storePort.write(async (tx) => {
      // Two imports into one project take turns here, so the second finds the first's clips.
      await tx.lock(`dataset-project-clips:${req.projectId}`);
      await requireProject(tx, req.projectId);
      // A PostgreSQL write may run again after a serialization failure: it starts from nothing each time.
      const duplicates: FileOutcome[] = [];
      const added: FileOutcome[] = [];
      const at = clock.nowUs();
      for (const a of accepted) {
        // Another import may have added the same audio since we looked.
        const known = await tx.datasetProjects.findProjectClip(req.projectId, a.facts.sha256, 'audio');
        if (known) {
          duplicates.push({ path: a.file.name, status: 'duplicate', clipId: known.id, message: `already in the project as clip ${known.id} (${known.name})` });
          continue;
        }
        await tx.datasetProjects.insertClipFile(a.facts, at);
        const clipId = await tx.datasetProjects.insertProjectClip({
          projectId: req.projectId,
          sha256: a.facts.sha256,
          origin: 'audio',
          originKey: 'audio',
          alertId: null,
          sensorId: null,
          channel: 0,
          clipStartUs: null,
          name: a.file.name,
          site: req.site ?? a.file.site,
          sensorKey: a.file.folder,
          sourceRecording: req.recordings === 'folder' ? a.file.folder : null,
          addedBy: actor,
          addedUs: at,
        });
        added.push({
          path: a.file.name,
          status: 'imported',
          clipId,
          message: `${a.facts.channels} ch, ${a.facts.sampleRate} Hz, ${(a.facts.frames / a.facts.sampleRate).toFixed(3)} s`,
        });
      }
      if (added.length > 0) {
        await tx.audit.append({
          atUs: at,
          actor,
          action: 'dataset.audio.imported',
          entity: `project:${req.projectId}`,
          payload: {
            paths: req.recordedPaths ?? req.paths,
            site: req.site ?? null,
            recordings: req.recordings ?? 'file',
            refused,
            clips: added.map((o) => ({ clipId: o.clipId, name: o.path })),
          },
        });
        await tx.datasetProjects.touchProject(req.projectId, at);
        tx.emit('datasetChanged', { projectId: req.projectId, what: 'clips', clipIds: added.map((o) => o.clipId!) });
      }
      return { duplicates, added };
    });
    outcomes.push(...committed.duplicates);
    imported.push(...committed.added);
    ctl.progress('commit', accepted.length, accepted.length);
  }
  const all = [...outcomes, ...imported];
  return {
    kind: 'import-audio',
    projectId: req.projectId,
    aborted,
    imported: imported.length,
    duplicates: all.filter((o) => o.status === 'duplicate').length,
    refused,
    ignored: scan.ignored,
    files: all.slice(0, MAX_OUTCOMES),
    omitted: Math.max(0, all.length - MAX_OUTCOMES),
  };
}
