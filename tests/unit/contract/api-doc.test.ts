import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderApiDoc } from '../../../scripts/api-doc.ts';

describe('docs/API.md', () => {
  it('matches the contract (regenerate with `npx tsx scripts/api-doc.ts`)', () => {
    expect(readFileSync(new URL('../../../docs/API.md', import.meta.url), 'utf8')).toBe(renderApiDoc());
  });
});
