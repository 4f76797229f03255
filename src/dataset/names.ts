/**
 * File names we write come from ids plus a readable stem made of safe characters only, so no clip
 * name, label or sensor id can climb out of the export folder, hide a file, or break a reader.
 */
export function safeStem(name: string, max = 60): string {
  const stem = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, max)
    .replace(/[._-]+$/g, '');
  return stem || 'clip';
}

/** The stem of a clip file name without its folders and .wav ending. */
export function clipStem(clipName: string): string {
  const last = clipName.split('/').filter(Boolean).at(-1) ?? clipName;
  return safeStem(last.replace(/\.(wav|wave)$/i, ''));
}
