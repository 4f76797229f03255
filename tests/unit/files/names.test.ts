import { describe, expect, it } from 'vitest';
import { downloadFileName, nameKey, normaliseUploadName } from '../../../src/files/names.ts';

describe('the relative names an upload may carry', () => {
  it('keeps the names a folder input gives, in one Unicode form', () => {
    expect(normaliseUploadName('bundles/OAK-1/alert.json')).toBe('bundles/OAK-1/alert.json');
    expect(normaliseUploadName('field day/rec 1/a.WAV')).toBe('field day/rec 1/a.WAV');
    // macOS sends decomposed names: the same file as the composed one.
    expect(normaliseUploadName('Cafe\u0301/x.wav')).toBe('Café/x.wav');
    expect(nameKey(normaliseUploadName('A/B.wav'))).toBe(nameKey(normaliseUploadName('a/b.wav')));
  });

  const hostile: [string, RegExp][] = [
    ['', /empty/],
    ['/etc/passwd', /absolute/],
    ['\\\\server\\share\\x', /absolute/],
    ['C:/Windows/win.ini', /drive/],
    ['c:x', /drive/],
    ['../earwitness.sqlite', /'\.\.' segment/],
    ['a/../../b', /'\.\.' segment/],
    ['a/./b', /'\.' segment/],
    ['a//b', /empty folder name/],
    ['a/b/', /empty folder name/],
    ['a\\b', /backslash/],
    ['a\0b', /NUL/],
    ['a\nb', /control character/],
    ['a\u0085b', /control character/],
    ['bad\ud800half', /not valid Unicode/],
    ['x/CON', /device name/],
    ['x/nul.txt', /device name/],
    ['x/a:stream', /refuse/],
    ['x/trailing.', /dot or a space/],
    ['x/trailing ', /dot or a space/],
    [`${'d/'.repeat(40)}x`, /folders deep/],
    [`${'x'.repeat(256)}`, /over 255 bytes/],
    [`${'x/'.repeat(600)}`, /longer than/],
  ];
  it.each(hostile)('refuses %j', (name, why) => {
    expect(() => normaliseUploadName(name)).toThrow(why);
  });

  it('gives downloads a plain file name, never a folder or a header break', () => {
    expect(downloadFileName('../../x/report.html')).toBe('report.html');
    expect(downloadFileName('a"b\r\nc.csv')).toBe('a_bc.csv');
    expect(downloadFileName('')).toBe('download');
  });
});
