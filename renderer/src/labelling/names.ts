import { LABEL_NAME_PATTERN } from '../../../src/contract/index.ts';

/** A class as the editor holds it: an id for classes already saved. */
export interface ClassRow {
  id?: number;
  name: string;
  colour: string;
  hotkey: number | null;
}

/** What is wrong with the classes as typed, before the core is asked (it checks again). */
export function taxonomyProblems(rows: readonly ClassRow[]): string[] {
  const out: string[] = [];
  const names = new Map<string, number>();
  const keys = new Map<number, number>();
  rows.forEach((r, i) => {
    if (!LABEL_NAME_PATTERN.test(r.name))
      out.push(`row ${i + 1}: "${r.name}" is not a label name (up to 64 letters, digits, spaces or _ . ( ) / -, starting with a letter or digit)`);
    const lower = r.name.toLowerCase();
    if (names.has(lower)) out.push(`rows ${names.get(lower)! + 1} and ${i + 1} have the same name`);
    names.set(lower, i);
    if (r.hotkey !== null) {
      if (keys.has(r.hotkey)) out.push(`rows ${keys.get(r.hotkey)! + 1} and ${i + 1} both use key ${r.hotkey}`);
      keys.set(r.hotkey, i);
    }
  });
  return out;
}

/** A folder name from a project name: letters, digits and dashes. */
export const slug = (s: string): string =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'project';
