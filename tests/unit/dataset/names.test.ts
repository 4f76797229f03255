import { describe, expect, it } from 'vitest';
import { clipStem, safeStem } from '../../../src/dataset/names.ts';

describe('file names we write', () => {
  it.each([
    ['../../etc/passwd', 'etc_passwd'],
    ['..', 'clip'],
    ['.hidden', 'hidden'],
    ['-rm -rf', 'rm_-rf'],
    ['=HYPERLINK("x")', 'HYPERLINK_x'],
    ['C:\\Windows\\system32', 'C_Windows_system32'],
    ['né à Paris', 'ne_a_Paris'],
    ['\u0000nul\nline', 'nul_line'],
    ['a'.repeat(200), 'a'.repeat(60)],
    ['', 'clip'],
  ])('%j becomes %j', (name, stem) => {
    expect(safeStem(name)).toBe(stem);
    expect(safeStem(name)).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
    expect(safeStem(name)).not.toMatch(/\.\./);
  });

  it('takes the last part of a clip name without its WAV ending', () => {
    expect(clipStem('field/north/rec 1.WAV')).toBe('rec_1');
    expect(clipStem('=evil()/@ALERT-1/+SUM(1)')).toBe('SUM_1');
    expect(clipStem('a/b/..')).toBe('clip');
  });
});
