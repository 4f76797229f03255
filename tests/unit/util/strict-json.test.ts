import { describe, expect, it } from 'vitest';
import { idProblem } from '../../../src/util/schemas.ts';
import { firstInvalidUtf8, parseStrictJson, parseStrictJsonBytes, StrictJsonError } from '../../../src/util/strict-json.ts';

const refusal = (f: () => unknown): StrictJsonError => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(StrictJsonError);
    return e as StrictJsonError;
  }
  throw new Error('not refused');
};

describe('strict JSON', () => {
  it('builds the very value JSON.parse builds', () => {
    const docs = [
      '{"a": 1, "b": [true, false, null, -0.5e-3, 1E+2, "x\\u00e9\\n\\"q\\""], "c": {"d": {}}, "e": []}',
      ' [ 1 , 2 ] ',
      '"just a string"',
      '0',
      '{"__proto__": {"polluted": 1}, "constructor": 2}',
      JSON.stringify({ deep: [[[{ k: 'v' }]]], n: 123456789.125, s: 'Zürich \ud83d\ude00' }),
    ];
    for (const d of docs) expect(parseStrictJson(d)).toStrictEqual(JSON.parse(d));
    const proto = parseStrictJson('{"__proto__": {"polluted": 1}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(proto)).toEqual(['__proto__']);
  });

  it.each([
    ['{"id": 1, "id": 2}', 'has key "id" twice at the top level', 'id'],
    ['{"sensors": [{"id": "a"}, {"id": "b", "clip": "x", "clip": "y"}]}', 'has key "clip" twice in sensors.1', 'sensors.1.clip'],
    ['{"a": {"b": {"c": 1, "\\u0063": 2}}}', 'has key "c" twice in a.b', 'a.b.c'],
    ['{"": 1, "": 2}', 'has key "" twice at the top level', ''],
  ])('refuses %s, naming the key and its path', (text, message, path) => {
    const e = refusal(() => parseStrictJson(text));
    expect(e.message).toBe(message);
    expect(e.path).toBe(path);
    // JSON.parse would have kept the last value without a word.
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it.each([
    ['{"a": 1,}', /is not valid JSON: expected a key in quotes, found "}" at the top level \(character 9\)/],
    ['{"a": [1, 2', /is not valid JSON: expected ',' or '\]', found end of file at a/],
    ['{"a": 01}', /is not valid JSON: expected ',' or '}', found "1}" at the top level/],
    ['{"a": "tab\there"}', /a raw control character inside a string at a/],
    ['{"a": "\\x41"}', /a bad escape inside a string at a/],
    ['{"a": NaN}', /expected a value, found "NaN}" at a/],
    ['{"a": 1} {"b": 2}', /unexpected "\{\\"b\\": 2\}" after the end of the document/],
    ['', /expected a value, found end of file/],
    [`${'['.repeat(65)}${']'.repeat(65)}`, /nesting deeper than 64 levels/],
  ])('refuses %j as not valid JSON, saying where', (text, message) => {
    expect(refusal(() => parseStrictJson(text)).message).toMatch(message);
  });

  it('survives a document nested far past the limit without a stack overflow', () => {
    expect(refusal(() => parseStrictJson('['.repeat(1_000_000))).message).toMatch(/nesting deeper than 64/);
  });

  it('decodes bytes fatally and names the byte and the field it falls in', () => {
    const bytes = Buffer.concat([Buffer.from('{"id": "ok", "sensors": [{"id": "S'), Buffer.from([0xff]), Buffer.from('1"}]}')]);
    const e = refusal(() => parseStrictJsonBytes(bytes));
    expect(e.message).toBe('is not valid UTF-8: byte 34, in sensors.0.id');
    expect(e.path).toBe('sensors.0.id');
    const inKey = Buffer.concat([Buffer.from('{"i'), Buffer.from([0xc3, 0x28]), Buffer.from('d": 1}')]);
    expect(refusal(() => parseStrictJsonBytes(inKey)).message).toMatch(/^is not valid UTF-8: byte 3, in i.\(d$/);
    expect(parseStrictJsonBytes(Buffer.from('\ufeff{"a": "é"}'))).toEqual({ a: 'é' });
  });

  it('finds the first byte that is not UTF-8, as the WHATWG decoder judges it', () => {
    const cases: [number[], number][] = [
      [[0x41, 0x42], -1],
      [[0xc3, 0xa9], -1],
      [[0xf0, 0x9f, 0x98, 0x80], -1],
      [[0x41, 0x80], 1], // a lone continuation byte
      [[0xc0, 0xaf], 0], // an overlong '/'
      [[0xe0, 0x80, 0xaf], 0], // overlong in three bytes
      [[0xed, 0xa0, 0x80], 0], // a UTF-16 surrogate
      [[0xf4, 0x90, 0x80, 0x80], 0], // beyond U+10FFFF
      [[0x41, 0xe2, 0x82], 1], // truncated at the end
      [[0xf5, 0x80, 0x80, 0x80], 0],
    ];
    for (const [bytes, at] of cases) {
      expect(firstInvalidUtf8(Uint8Array.from(bytes)), bytes.join(',')).toBe(at);
      let fatal = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
      } catch {
        fatal = false;
      }
      expect(fatal, bytes.join(',')).toBe(at === -1);
    }
  });
});

describe('printable ids', () => {
  it.each(['NSAC-2026-000123', 'north-sacramento', 'SCP-00-BNG-5567', 'Zürich 1', 'S_1.a', '東京-3'])('accepts %j', (id) => expect(idProblem(id)).toBeNull());
  it.each([
    ['TEST\u202e1', 'U+202E'],
    ['a\u200bb', 'U+200B'],
    ['a\u00a0b', 'U+00A0'],
    ['a\u0085b', 'U+0085'],
    ['a\u0007b', 'U+0007'],
    ['a\ud800b', 'U+D800'],
    ['a\u2028b', 'U+2028'],
    ['a\ufeffb', 'U+FEFF'],
    ['a\u2067b', 'U+2067'],
    ['a\u00adb', 'U+00AD'],
    ['a\u3000b', 'U+3000'],
    ['a\ue000b', 'U+E000'],
  ])('refuses %j (%s)', (id, code) => expect(idProblem(id)).toBe(`holds ${code}, which is not a printable character`));
  it('refuses spaces at either end and ids not in normal form C', () => {
    expect(idProblem(' S-1')).toBe('starts or ends with a space');
    expect(idProblem('Zu\u0308rich')).toMatch(/normal form C/);
  });
});
