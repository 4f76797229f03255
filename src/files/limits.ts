import { UserError } from '../util/errors.ts';

/** How much seats may send and keep, and for how long the core holds what was sent or made for them. */
export interface TransferLimits {
  /** One uploaded file. */
  fileBytes: number;
  /** All files of one upload. */
  setBytes: number;
  setFiles: number;
  /** Every upload of every seat at once: the disk the core lends to seats. */
  totalBytes: number;
  /** Uploads one seat may have open at once. */
  setsPerSession: number;
  /** An upload not used within this long after its last file is removed. */
  uploadTtlS: number;
  /** A download is kept this long (then 404). */
  downloadTtlS: number;
  /** Downloads one seat keeps; the oldest goes first. */
  downloadsPerSession: number;
  /** A desktop grant is valid this long, for one use. */
  grantTtlS: number;
}

const MiB = 1024 * 1024;

/** Far above any alert, label file, data set or offline map a review room sends; low enough that a seat cannot fill the disk. */
export const DEFAULT_TRANSFER_LIMITS: TransferLimits = {
  fileBytes: 1024 * MiB,
  setBytes: 2048 * MiB,
  setFiles: 20_000,
  totalBytes: 4096 * MiB,
  setsPerSession: 16,
  uploadTtlS: 3600,
  downloadTtlS: 1800,
  downloadsPerSession: 64,
  grantTtlS: 600,
};

/** An upload over a limit: the host answers 413 with this message. */
export class TooLarge extends UserError {
  constructor(message: string) {
    super('invalid_input', message, { tooLarge: true });
    this.name = 'TooLarge';
  }
}

export const isTooLarge = (e: unknown): e is TooLarge => e instanceof TooLarge;
