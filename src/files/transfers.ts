import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import type { DeliveredFile, FileSource, FileTarget, UploadLimits } from '../contract/index.ts';
import { dataPaths } from '../kernel/paths.ts';
import { UserError } from '../util/errors.ts';
import type { Clock } from '../util/time.ts';
import { checkOutsideDataFolder } from './data-folder.ts';
import { Downloads, type DownloadFile } from './downloads.ts';
import { Grants, type GrantMode } from './grants.ts';
import { DEFAULT_TRANSFER_LIMITS, type TransferLimits } from './limits.ts';
import { createRunFolder, removeDeadRuns } from './run-folder.ts';
import { copyFileAtomically, saveFileAtomically } from './save-file.ts';
import { UploadSets } from './uploads.ts';

/** Files a method reads, from an upload or a desktop grant. */
export interface TakenSource {
  kind: 'upload' | 'grant';
  /** What to read: an upload's top entries, or the paths chosen; each with the name the person knows it by. */
  roots: { path: string; name: string }[];
  /** An upload's own folder, holding the roots (its files at the top, if the seat sent some there); null for a grant. */
  tree: string | null;
  /** How a path below a root is shown to the person: relative to what they chose, never a path of the core. */
  display(path: string): string;
  /** The upload's files go (a grant's stay, they are the person's). Call when done, success or not. */
  release(): void;
}

/** Where a method's output goes, settled (a grant checked and used up) before the work starts. */
export interface OutputTarget {
  readonly kind: 'download' | 'saved';
  deliver(o: { fileName: string; contentType: string; content?: string | Uint8Array; file?: string }): Promise<DeliveredFile>;
}

const inside = (root: string, p: string) => {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};
const slashes = (p: string) => p.split(sep).join('/');

/**
 * How files cross between seats and the core (see src/contract/files.ts): uploads a seat sent,
 * downloads made for it, and the desktop app's grants. Everything lives in this run's own folder
 * under the data folder's transfers/, bound to the session that made it, and goes when used,
 * when it expires, when its seat closes, or (the whole folder) when the core closes; folders of
 * runs that died are removed when a later run starts.
 */
export class FileTransfers {
  readonly limits: TransferLimits;
  private run: string | null = null;
  private readonly transfersDir: string;
  readonly uploads: UploadSets;
  readonly downloads: Downloads;
  readonly grants: Grants;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly dataDir: string,
    clock: Clock,
    limits: Partial<TransferLimits> = {},
  ) {
    this.limits = { ...DEFAULT_TRANSFER_LIMITS, ...limits };
    this.transfersDir = dataPaths(dataDir).transfers;
    removeDeadRuns(this.transfersDir);
    this.uploads = new UploadSets(() => join(this.folder(), 'uploads'), this.limits, clock);
    this.downloads = new Downloads(() => join(this.folder(), 'downloads'), this.limits, clock);
    this.grants = new Grants(this.limits, clock);
    this.timer = setInterval(() => this.sweep(), 60_000);
    this.timer.unref();
  }

  /** What the host tells a page before it uploads. */
  uploadLimits(): UploadLimits {
    return { fileBytes: this.limits.fileBytes, setBytes: this.limits.setBytes, setFiles: this.limits.setFiles, totalBytes: this.limits.totalBytes };
  }

  /** The desktop dialog's choice, kept here; the page gets its id and names. */
  grant(sessionId: string, mode: GrantMode, purpose: string, paths: readonly string[]): { grantId: string; names: string[] } {
    return this.grants.issue(sessionId, mode, purpose, paths);
  }

  /**
   * The files a method reads: an upload of this session (taken whole), or a grant of this session
   * for one of `purposes` (used up), its paths checked against the data folder's own files.
   */
  takeSource(sessionId: string, source: FileSource, purposes: readonly string[], use: 'read' | 'walk'): TakenSource {
    if (source.kind === 'upload') {
      const taken = this.uploads.take(sessionId, source.uploadId);
      const tree = taken.dir;
      return {
        kind: 'upload',
        roots: readdirSync(tree)
          .sort()
          .map((name) => ({ path: join(tree, name), name })),
        tree,
        display: (p) => (inside(tree, p) ? slashes(relative(tree, p)) || '(the upload)' : basename(p)),
        release: taken.release,
      };
    }
    const { paths } = this.grants.take(sessionId, source.grantId, 'open', purposes);
    const roots = paths.map((p) => ({ path: checkOutsideDataFolder(this.dataDir, p, use), name: basename(p) }));
    return {
      kind: 'grant',
      roots,
      tree: null,
      display: (p) => {
        const root = roots.find((r) => inside(r.path, p));
        return root ? slashes(join(root.name, relative(root.path, p))) : basename(p);
      },
      release: () => undefined,
    };
  }

  /** One file from a source: an upload of exactly one file, or a grant of one path. */
  takeOneFile(sessionId: string, source: FileSource, purposes: readonly string[]): { path: string; name: string; release(): void } {
    const taken = this.takeSource(sessionId, source, purposes, 'read');
    const files = taken.kind === 'upload' ? this.filesBelow(taken.roots.map((r) => r.path)) : taken.roots.map((r) => r.path);
    if (files.length !== 1) {
      taken.release();
      throw new UserError('invalid_input', `send one file, not ${files.length}`);
    }
    return { path: files[0]!, name: taken.display(files[0]!), release: taken.release };
  }

  /**
   * Where an output goes: a download of this session, or the file of a save grant of this
   * session for one of `purposes` (checked now and used up, so a bad target refuses the call
   * before any work or any audit entry).
   */
  openTarget(sessionId: string, to: FileTarget, purposes: readonly string[]): OutputTarget {
    if (to.kind === 'download') {
      return { kind: 'download', deliver: (o) => this.downloads.add(sessionId, o) };
    }
    const { paths } = this.grants.take(sessionId, to.grantId, 'save', purposes);
    const target = checkOutsideDataFolder(this.dataDir, paths[0]!, 'write');
    return {
      kind: 'saved',
      deliver: async (o) => {
        // The native dialog already asked the person before replacing a file.
        const saved = o.content !== undefined ? saveFileAtomically(target, o.content, true) : await copyFileAtomically(o.file!, target, true);
        if (o.file !== undefined) rmSync(o.file, { force: true });
        return { kind: 'saved', fileName: basename(saved.path), bytes: saved.bytes, sha256: saved.sha256 };
      },
    };
  }

  /** A new empty folder for a method's work (an export before it is zipped); the caller removes it. */
  workDir(): string {
    return mkdtempSync(join(this.folder(), 'work', 'w-'));
  }

  /** The download a request asks for, if a session it proves owns it and it has not expired. */
  findDownload(downloadId: string, presentedSessionIds: readonly string[]): DownloadFile | null {
    return this.downloads.find(downloadId, presentedSessionIds);
  }

  /** A seat is gone: its uploads, downloads and grants go too (an upload in use finishes first). */
  forgetSession(sessionId: string): void {
    this.uploads.forgetSession(sessionId);
    this.downloads.forgetSession(sessionId);
    this.grants.forgetSession(sessionId);
  }

  sweep(): void {
    this.uploads.sweep();
    this.downloads.sweep();
  }

  close(): void {
    clearInterval(this.timer);
    if (this.run) rmSync(this.run, { recursive: true, force: true });
    this.run = null;
  }

  /** Every regular file below some paths (an upload's tree holds nothing else). */
  private filesBelow(paths: readonly string[]): string[] {
    const out: string[] = [];
    const walk = (p: string) => {
      let entries;
      try {
        entries = readdirSync(p, { withFileTypes: true });
      } catch {
        out.push(p);
        return;
      }
      for (const e of entries) (e.isDirectory() ? walk : (f: string) => out.push(f))(join(p, e.name));
    };
    for (const p of paths) walk(p);
    return out;
  }

  private folder(): string {
    this.run ??= createRunFolder(this.transfersDir).dir;
    return this.run;
  }
}

// Every call's context carries it (src/kernel/services.ts says why it is declared here).
declare module '../kernel/services.ts' {
  interface CoreServices {
    /** Uploads, downloads and desktop grants of seats: how files cross without paths. */
    readonly files: FileTransfers;
  }
}
