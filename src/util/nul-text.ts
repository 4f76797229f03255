/**
 * Where a value holds text with a NUL character (U+0000), as a dotted path, or null. No text a
 * person or a network sends means a NUL, PostgreSQL's TEXT cannot store one at all, and C-based
 * tools downstream (CAD systems, file names) cut text at it; so the core refuses it at the door,
 * the same on every backend, rather than fail inside a query.
 */
export function nulTextPath(value: unknown, path: readonly (string | number)[] = [], depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || '(input)' : null;
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  for (const [k, v] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    if (typeof k === 'string' && k.includes('\u0000')) return [...path, k.replaceAll('\u0000', '\\0')].join('.');
    const found = nulTextPath(v, [...path, k], depth + 1);
    if (found !== null) return found;
  }
  return null;
}
