import { describe, expect, it } from 'vitest';
import { nulTextPath } from '../../../src/util/nul-text.ts';

describe('nulTextPath: text no store can keep', () => {
  it('names where a NUL character is, in values and in keys, at any depth', () => {
    expect(nulTextPath({ name: 'ada', notes: 'fine' })).toBeNull();
    expect(nulTextPath('a\u0000b')).toBe('(input)');
    expect(nulTextPath({ agency: { name: 'City\u0000PD' } })).toBe('agency.name');
    expect(nulTextPath({ shots: [{ picks: ['S-1', 'S\u00002'] }] })).toBe('shots.0.picks.1');
    expect(nulTextPath({ ['bad\u0000key']: 1 })).toBe('bad\\0key');
  });
  it('passes what is not text: numbers, booleans, null, the other control characters', () => {
    expect(nulTextPath({ n: 0, b: false, z: null, t: 'tab\there\u0001\u202e' })).toBeNull();
  });
});
