import { describe, expect, it } from 'vitest';
import { slug, taxonomyProblems } from '../../../../renderer/src/labelling/names.ts';

describe('the class editor and export names', () => {
  it('name what is wrong with the classes before the core is asked', () => {
    const ok = [
      { id: 1, name: 'muzzle_blast', colour: '#ff0000', hotkey: 1 },
      { name: 'echo (late)', colour: '#00ff00', hotkey: null },
    ];
    expect(taxonomyProblems(ok)).toEqual([]);
    const bad = taxonomyProblems([
      ...ok,
      { name: 'Muzzle_Blast', colour: '#000000', hotkey: 2 },
      { name: '=cmd', colour: '#000000', hotkey: 1 },
      { name: '', colour: '#000000', hotkey: null },
    ]);
    expect(bad).toEqual([
      'rows 1 and 3 have the same name',
      'row 4: "=cmd" is not a label name (up to 64 letters, digits, spaces or _ . ( ) / -, starting with a letter or digit)',
      'rows 1 and 4 both use key 1',
      'row 5: "" is not a label name (up to 64 letters, digits, spaces or _ . ( ) / -, starting with a letter or digit)',
    ]);
  });

  it('turn a project name into a folder name that is safe everywhere', () => {
    expect(slug('Range day 2026-03')).toBe('range-day-2026-03');
    expect(slug('Schießstand Süd / Nacht')).toBe('schie-stand-sud-nacht');
    expect(slug('../../etc')).toBe('etc');
    expect(slug('***')).toBe('project');
  });
});
