import { UserError } from '../util/errors.ts';

/** Limits of one uploaded file's relative name. */
export const NAME_LIMITS = { chars: 1024, segmentBytes: 255, depth: 32 } as const;

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Names Windows keeps for devices, whatever the extension: a core on Windows could not create them. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
/** Characters Windows refuses in a file name (and ':' would name an NTFS stream). */
const WINDOWS_FORBIDDEN = /[<>:"|?*\\]/;

const refuse = (name: string, why: string): never => {
  throw new UserError('invalid_input', `the file name ${JSON.stringify(name.slice(0, 200))} ${why}`);
};

/**
 * Checks a relative file name a seat sent with an upload ('bundles/A-1/alert.json', as a folder
 * input gives it) and returns it in its one normal form (Unicode NFC, so a name from macOS and the
 * same name from elsewhere are one file). Refused: an absolute name, a drive letter or a
 * backslash, an empty, '.' or '..' segment, NUL and other control characters, names Windows cannot
 * hold, and anything too long or too deep. The rules are the same on every platform, so an upload
 * accepted on one core is accepted on any.
 */
export function normaliseUploadName(raw: string): string {
  if (typeof raw !== 'string' || raw.length === 0) return refuse(String(raw), 'is empty');
  if (raw.length > NAME_LIMITS.chars) return refuse(raw, `is longer than ${NAME_LIMITS.chars} characters`);
  if (raw.includes('\0')) return refuse(raw, 'holds a NUL byte');
  if (CONTROL.test(raw)) return refuse(raw, 'holds a control character');
  if (/[\ud800-\udfff]/.test(raw.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) return refuse(raw, 'is not valid Unicode');
  if (raw.startsWith('/') || raw.startsWith('\\')) return refuse(raw, 'is absolute: send names relative to the folder chosen');
  if (/^[a-zA-Z]:/.test(raw)) return refuse(raw, 'names a drive');
  if (raw.includes('\\')) return refuse(raw, "holds a backslash: separate folders with '/'");
  const name = raw.normalize('NFC');
  const segments = name.split('/');
  if (segments.length > NAME_LIMITS.depth) return refuse(raw, `is more than ${NAME_LIMITS.depth} folders deep`);
  for (const s of segments) {
    if (s === '') return refuse(raw, 'has an empty folder name (// or a trailing /)');
    if (s === '.' || s === '..') return refuse(raw, `has a '${s}' segment`);
    if (Buffer.byteLength(s, 'utf8') > NAME_LIMITS.segmentBytes) return refuse(raw, `has a segment over ${NAME_LIMITS.segmentBytes} bytes`);
    if (WINDOWS_FORBIDDEN.test(s)) return refuse(raw, 'holds a character file systems refuse (< > : " | ? *)');
    if (WINDOWS_DEVICE.test(s)) return refuse(raw, `uses ${JSON.stringify(s)}, a device name on Windows`);
    if (/[. ]$/.test(s)) return refuse(raw, 'has a segment ending in a dot or a space');
  }
  return name;
}

/** Two names that one case-insensitive file system (macOS, Windows) would take for one file. */
export const nameKey = (normalised: string): string => normalised.toLowerCase();

/** A name fit for a Content-Disposition header and a save dialog: its last segment, printable ASCII kept, the rest replaced. */
export function downloadFileName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  const cleaned = last.replace(new RegExp(CONTROL.source, 'g'), '').replace(/["\\]/g, '_').trim();
  return cleaned.length > 0 ? cleaned.slice(0, 200) : 'download';
}
