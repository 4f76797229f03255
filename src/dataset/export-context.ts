import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Label, Project, ProjectClip } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import { parseWav, type WavInfo } from '../audio/wav.ts';
import { ClipStore } from '../store/clip-store.ts';
import type { AlertFacts } from '../kernel/store-port.ts';
import { UserError } from '../util/errors.ts';
import type { JobControl } from './jobs.ts';

export interface ExportedFile {
  /** Relative to the export folder, '/' separated. */
  file: string;
  clipId: number | null;
  /** The channel a per-channel file (an Audacity track) holds; null for files about whole clips or many clips. */
  channel: number | null;
  labels: number;
  /** What the file holds: audio (a clip's recording, or a cut of it) or labels and metadata. */
  kind: 'audio' | 'labels';
}

/** What every format writer gets: the selection read once, a private folder, and the job's control. */
export class ExportContext {
  readonly files: ExportedFile[] = [];
  readonly warnings: string[] = [];

  constructor(
    readonly core: CoreServices,
    readonly project: Project,
    /** Ordered by clip, then start sample. */
    readonly labels: readonly Label[],
    readonly clips: ReadonlyMap<number, ProjectClip>,
    /** What the export writes about each alert a clip came from, read with the labels (null: the alert is gone). */
    private readonly facts: ReadonlyMap<number, AlertFacts | null>,
    /** The temporary folder that becomes the export folder when everything is written. */
    readonly dir: string,
    readonly ctl: JobControl,
  ) {}

  /** Labels grouped by clip, in clip order. */
  *byClip(): IterableIterator<{ clip: ProjectClip; labels: Label[] }> {
    let i = 0;
    while (i < this.labels.length) {
      const clipId = this.labels[i]!.clipId;
      let j = i;
      while (j < this.labels.length && this.labels[j]!.clipId === clipId) j++;
      yield { clip: this.clips.get(clipId)!, labels: this.labels.slice(i, j) };
      i = j;
    }
  }

  /** Writes a new file (never over an existing one) below the export folder. */
  write(
    rel: string,
    data: string | Uint8Array,
    clipId: number | null,
    labels: number,
    channel: number | null = null,
    kind: ExportedFile['kind'] = 'labels',
  ): void {
    const path = join(this.dir, ...rel.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, 'wx');
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    } finally {
      closeSync(fd);
    }
    this.files.push({ file: rel, clipId, channel, labels, kind });
  }

  /** The stored audio of a clip, re-hashed: an export never passes on bytes that no longer match their name. */
  audio(clip: ProjectClip): { bytes: Buffer; info: WavInfo } {
    const bytes = this.core.clips.read(clip.clip.sha256);
    if (ClipStore.hash(bytes) !== clip.clip.sha256) {
      throw new UserError(
        'bad_file',
        `the stored audio of clip ${clip.id} (${clip.name}) no longer matches its SHA-256: the clip store is damaged; nothing was exported`,
      );
    }
    return { bytes, info: parseWav(bytes) };
  }

  alertFacts(alertId: number | null): AlertFacts | null {
    return alertId === null ? null : (this.facts.get(alertId) ?? null);
  }
}
