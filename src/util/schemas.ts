/** Small zod building blocks shared by the readers of external metadata (bundles, smj chunks, sidecars). */
import { z } from 'zod';
import { parseIsoMicros } from './time.ts';

/**
 * Characters that change how text around them looks without being seen: bidi embeddings,
 * overrides and isolates (Trojan Source), marks, zero-width joiners and spaces, word joiner,
 * BOM, line and paragraph separators. \p{Cc} are the C0 and C1 controls; \p{Cs} lone
 * surrogates (a JSON escape can make one); \p{Co} private use; \p{Cn} unassigned.
 */
const INVISIBLE = /[\p{Cc}\p{Cs}\p{Co}\p{Cn}\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/u;
/** Any other format character, and every space but U+0020 (a no-break space passes for a space). */
const NOT_IN_ID = /[\p{Cf}\p{Z}]/u;

/** Why a string cannot be an id, or null. */
export function idProblem(s: string): string | null {
  const bad = INVISIBLE.exec(s) ?? [...s].find((ch) => ch !== ' ' && NOT_IN_ID.test(ch));
  if (bad) {
    const ch = typeof bad === 'string' ? bad : bad[0];
    return `holds U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, which is not a printable character`;
  }
  if (s !== s.trim()) return 'starts or ends with a space';
  if (s.normalize('NFC') !== s) return 'is not in Unicode normal form C (the same id could be spelled two ways)';
  return null;
}

/**
 * An identifier a device wrote (alert id, network, sensor serial): printable characters only,
 * so that two ids that look the same are the same. No control, format, bidi or invisible
 * characters, no space but U+0020 and none at either end, NFC.
 */
export const printableId = (max = 200) =>
  z
    .string()
    .min(1)
    .max(max)
    .superRefine((s, ctx) => {
      const problem = idProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/** One line of text a person typed or a device wrote: not empty, bounded, no control or bidi characters. */
export const plainText = (max = 200) =>
  z
    .string()
    .min(1)
    .max(max)
    .superRefine((s, ctx) => {
      const bad = INVISIBLE.exec(s);
      if (bad)
        ctx.addIssue({
          code: 'custom',
          message: `holds U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, which is not a printable character`,
        });
    });

/**
 * An instant that parseIsoMicros accepts (zone required, up to 9 fractional digits, a real
 * calendar date from 1970), with the parser's reason when it does not.
 */
export const isoTime = (example = '2026-11-20T03:14:14.500000Z') =>
  z
    .string()
    .max(64, `an ISO 8601 time such as ${example}`)
    .superRefine((s, ctx) => {
      try {
        parseIsoMicros(s);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    });

/** The first few issues of a failed parse as one line: `path.to.field: message; ...`. */
export function describeZodIssues(error: z.ZodError, max = 3): string {
  return error.issues
    .slice(0, max)
    .map((i) => `${i.path.length ? i.path.join('.') : '(top)'}: ${i.message}`)
    .join('; ');
}
