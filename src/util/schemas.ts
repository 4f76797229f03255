/** Small zod building blocks shared by the readers of external metadata (bundles, smj chunks, sidecars). */
import { z } from 'zod';
import { parseIsoMicros } from './time.ts';

/** One line of text a person typed or a device wrote: not empty, bounded, no control characters. */
export const plainText = (max = 200) =>
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  z.string().min(1).max(max).regex(/^[^\u0000-\u001f\u007f]+$/, 'no control characters');

/** An instant that parseIsoMicros accepts (zone required, up to 9 fractional digits, real calendar date). */
export const isoTime = (example = '2026-11-20T03:14:14.500000Z') =>
  z.string().max(64).refine((s) => {
    try {
      parseIsoMicros(s);
      return true;
    } catch {
      return false;
    }
  }, `an ISO 8601 UTC time such as ${example}`);

/** The first few issues of a failed parse as one line: `path.to.field: message; ...`. */
export function describeZodIssues(error: z.ZodError, max = 3): string {
  return error.issues.slice(0, max).map((i) => `${i.path.length ? i.path.join('.') : '(top)'}: ${i.message}`).join('; ');
}
