import { UserError } from '../../util/errors.ts';

/** Label files are small: a hostile file cannot make us read gigabytes. */
export const LABEL_FILE_LIMITS = { bytes: 32 * 1024 * 1024, rows: 200_000, issuesShown: 10 } as const;

export interface LineIssue {
  line: number;
  message: string;
}

/** A label file that cannot be read: every problem found (up to a limit), with line numbers. Nothing is written. */
export class LabelFileError extends UserError {
  constructor(
    what: string,
    readonly issues: LineIssue[],
  ) {
    const shown = issues.slice(0, LABEL_FILE_LIMITS.issuesShown).map((i) => (i.line > 0 ? `line ${i.line}: ${i.message}` : i.message));
    const more = issues.length > shown.length ? `; and ${issues.length - shown.length} more` : '';
    super('bad_file', `${what}: ${shown.join('; ')}${more}`, { issues: issues.slice(0, 100) });
    this.name = 'LabelFileError';
  }
}

/** Strict UTF-8 (a byte-order mark is dropped), split into lines on LF or CRLF; one final newline is allowed. */
export function textLines(bytes: Uint8Array, what: string): string[] {
  if (bytes.byteLength > LABEL_FILE_LIMITS.bytes)
    throw new LabelFileError(what, [{ line: 0, message: `${bytes.byteLength} bytes is over the ${LABEL_FILE_LIMITS.bytes}-byte limit for a label file` }]);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new LabelFileError(what, [{ line: 0, message: 'is not valid UTF-8 text' }]);
  }
  if (text.includes('\0')) throw new LabelFileError(what, [{ line: 0, message: 'holds NUL bytes: not a text file' }]);
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  if (lines.length > LABEL_FILE_LIMITS.rows + 1)
    throw new LabelFileError(what, [{ line: 0, message: `${lines.length} lines is over the limit of ${LABEL_FILE_LIMITS.rows}` }]);
  return lines;
}

const DECIMAL = /^(?:0|[1-9]\d{0,11})(?:\.\d{1,15})?$/;

/** A plain non-negative decimal as the tools write them (no sign, exponent, comma or spaces). */
export function parseDecimal(text: string, what: string): number {
  if (!DECIMAL.test(text)) throw new Error(`${what} ${JSON.stringify(text.slice(0, 40))} is not a plain decimal number such as 1.250000`);
  return Number(text);
}

/**
 * Seconds written by a tool back to our sample grid: the nearest sample. Exact for what we write:
 * six decimals are within 0.5 µs, under 0.1 sample even at the 192 kHz limit of our reader.
 */
export const secondsToSample = (seconds: number, sampleRate: number): number => Math.round(seconds * sampleRate);
export const sampleToSeconds = (sample: number, sampleRate: number, decimals: number): string => (sample / sampleRate).toFixed(decimals);

/** One TSV cell: tabs and newlines would break the row, so they become spaces. */
export const tsvCell = (s: string): string => s.replace(/[\t\r\n]/g, ' ');
