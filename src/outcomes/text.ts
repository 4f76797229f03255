import { z } from 'zod';

/** Control, bidi and invisible characters; notes may still hold line breaks and tabs. */
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u2069\ufeff]/u;

/** Why free text (notes) cannot be kept as typed, or null. */
export function notesProblem(s: string): string | null {
  const bad = HIDDEN.exec(s);
  return bad ? `holds U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, which is not a printable character` : null;
}

/** Notes of several lines: bounded, no control, bidi or invisible characters. */
export const notesText = (max = 4000) =>
  z
    .string()
    .max(max)
    .superRefine((s, ctx) => {
      const problem = notesProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
