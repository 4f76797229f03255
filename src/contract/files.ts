import { z } from 'zod';
import { Micros, Sha256 } from './common.ts';

/**
 * Files cross between a seat and the core by opaque handles the core issued to that seat's
 * session, never by paths on the core's machine:
 * - an upload: bytes the seat sent to the loopback host (`POST /uploads`), kept by the core in
 *   its own folder until they are used or expire;
 * - a grant: a file or folder the person chose in the desktop app's native dialog; its path
 *   stays in the main process and the core, the page gets only the grant's id and a name.
 * Outputs are downloads (`GET /downloads/...` on the host, for the session that asked, for a
 * while) or, in the desktop app, written where a save grant points.
 */
export const UploadId = z.string().regex(/^up_[A-Za-z0-9_-]{22}$/, 'an upload id');
export const GrantId = z.string().regex(/^gr_[A-Za-z0-9_-]{22}$/, 'a grant id');
export const DownloadId = z.string().regex(/^dl_[A-Za-z0-9_-]{22}$/, 'a download id');

/** Where an input comes from. */
export const FileSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('upload'), uploadId: UploadId }),
  z.object({ kind: z.literal('grant'), grantId: GrantId }),
]);
export type FileSource = z.infer<typeof FileSource>;

/** Where an output goes: a download of this seat, or the file a save grant names (desktop app). */
export const FileTarget = z.discriminatedUnion('kind', [z.object({ kind: z.literal('download') }), z.object({ kind: z.literal('grant'), grantId: GrantId })]);
export type FileTarget = z.infer<typeof FileTarget>;

/** A file name for people: no folders, no control characters. */
const FileName = z.string().min(1).max(255);

/** What became of an output. */
export const DeliveredFile = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('download'),
    downloadId: DownloadId,
    fileName: FileName,
    contentType: z.string(),
    bytes: z.number().int().min(0),
    sha256: Sha256,
    /** After this the download is gone (404). */
    expiresUs: Micros,
  }),
  z.object({
    kind: z.literal('saved'),
    /** The name of the file written where the person chose; the folder is not told. */
    fileName: FileName,
    bytes: z.number().int().min(0),
    sha256: Sha256,
  }),
]);
export type DeliveredFile = z.infer<typeof DeliveredFile>;

/** The upload limits of the host, so a page can refuse early what would be refused anyway. */
export const UploadLimits = z.object({
  fileBytes: z.number().int(),
  setBytes: z.number().int(),
  setFiles: z.number().int(),
  totalBytes: z.number().int(),
});
export type UploadLimits = z.infer<typeof UploadLimits>;
