/**
 * For `it.skipIf` / `describe.skipIf`: true (skip) when what a test needs is absent, and then
 * says so on the console, so a skipped test always prints a reason a reader can check.
 */
export function missing(present: boolean, test: string, why: string): boolean {
  if (!present) console.warn(`skipping "${test}": ${why}`);
  return !present;
}
